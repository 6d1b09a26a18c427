/**
 * The network interface a rank of a process group across hosts talks on. gloo (and NCCL's
 * bootstrap) bind to the address this machine's hostname resolves to, and fall back to the
 * loopback interface when it does not resolve, which the other hosts cannot reach. The
 * interface that routes to the rendezvous address is the one the other hosts can reach too:
 * found by "connecting" a UDP socket there (no packet is sent) and matching its local address.
 */
import { createSocket } from "node:dgram";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** The local address this host uses to reach `addr` (an IP address or a name). */
export function localAddressTowards(addr: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(addr) === 6 ? "udp6" : "udp4");
    sock.on("error", (e) => {
      sock.close();
      reject(e);
    });
    sock.connect(port, addr, () => {
      const local = sock.address().address;
      sock.close();
      resolve(local);
    });
  });
}

/** The interface holding `address`, if any. */
export function interfaceWith(address: string, interfaces = networkInterfaces()): string | undefined {
  return Object.entries(interfaces).find(([, list]) => (list ?? []).some((i) => i.address === address))?.[0];
}

/**
 * GLOO_SOCKET_IFNAME and NCCL_SOCKET_IFNAME for ranks that meet at `addr:port`, unless the
 * environment already names an interface; nothing when the interface is not found.
 */
export async function socketInterfaceEnv(addr: string, port: number, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const name = interfaceWith(await localAddressTowards(addr, port));
  if (name === undefined) return {};
  return { ...(env["GLOO_SOCKET_IFNAME"] ? {} : { GLOO_SOCKET_IFNAME: name }), ...(env["NCCL_SOCKET_IFNAME"] ? {} : { NCCL_SOCKET_IFNAME: name }) };
}
