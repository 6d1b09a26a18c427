/* CPU peak FP32 throughput: independent multiply-add chains on 256-bit vectors (what native
 * code can use) and on 128-bit vectors without FMA fusion (the ceiling of wasm SIMD), on every
 * core. Compiled and run by bench/cpu-peak.ts; prints JSON. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef float v8 __attribute__((vector_size(32)));
typedef float v4 __attribute__((vector_size(16)));
#define CHAINS 12
#define ITERS 20000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile float sink;

static void *fma256(void *arg) {
  (void)arg;
  v8 acc[CHAINS];
  v8 m = {1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f};
  v8 a = {1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 1e-7f};
  for (int i = 0; i < CHAINS; i++) acc[i] = a * (float)i;
  for (long it = 0; it < ITERS; it++)
    for (int i = 0; i < CHAINS; i++) acc[i] = acc[i] * m + a;
  float s = 0;
  for (int i = 0; i < CHAINS; i++) s += acc[i][0];
  sink = s;
  return NULL;
}

static void *mul_add128(void *arg) {
  (void)arg;
  v4 acc[CHAINS];
  v4 m = {1.0000001f, 1.0000001f, 1.0000001f, 1.0000001f};
  v4 a = {1e-7f, 1e-7f, 1e-7f, 1e-7f};
  for (int i = 0; i < CHAINS; i++) acc[i] = a * (float)i;
  for (long it = 0; it < ITERS; it++)
    for (int i = 0; i < CHAINS; i++) {
      v4 p = acc[i] * m;
      __asm__ volatile("" : "+x"(p)); /* keep mul and add separate, as wasm SIMD has no FMA */
      acc[i] = p + a;
    }
  float s = 0;
  for (int i = 0; i < CHAINS; i++) s += acc[i][0];
  sink = s;
  return NULL;
}

static double run(void *(*f)(void *), int threads, int lanes) {
  pthread_t t[64];
  double t0 = now();
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, f, NULL);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  double dt = now() - t0;
  return (double)threads * ITERS * CHAINS * lanes * 2 / dt / 1e9;
}

int main(void) {
  int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (cores > 64) cores = 64;
  double f1 = run(fma256, 1, 8), fn = run(fma256, cores, 8);
  double w1 = run(mul_add128, 1, 4), wn = run(mul_add128, cores, 4);
  printf("{\"cores\": %d, \"fma256_1core\": %.1f, \"fma256_all\": %.1f, \"simd128_1core\": %.1f, \"simd128_all\": %.1f}\n", cores, f1, fn, w1, wn);
  return 0;
}
