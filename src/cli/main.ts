export async function main(argv: string[]): Promise<number> {
  console.log("seer", argv.join(" "));
  return 0;
}
