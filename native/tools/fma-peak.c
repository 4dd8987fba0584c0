// One core's single-precision FMA peak, the bound the tower's GFLOP/s are read against (docs/performance.md):
// 12 independent chains of 256-bit FMAs (enough to cover two pipes' latency), best of 400 runs of ~1 ms, so that a
// run a loaded machine did not interrupt is among them. Not part of the addon's build.
//   cc -O3 -funroll-loops -mavx2 -mfma native/tools/fma-peak.c -o fma-peak && ./fma-peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  const long n = 500000;
  double best = 0;
  float sink = 0;
  for (int rep = 0; rep < 400; rep++) {
    __m256 a[12];
    const __m256 b = _mm256_set1_ps(1.0000001f), c = _mm256_set1_ps(1e-7f);
    for (int j = 0; j < 12; j++) a[j] = _mm256_set1_ps((float)j);
    double t0 = now();
    for (long i = 0; i < n; i++)
      for (int j = 0; j < 12; j++) a[j] = _mm256_fmadd_ps(a[j], b, c);
    double gflops = n * 12.0 * 8 * 2 / (now() - t0) / 1e9;
    if (gflops > best) best = gflops;
    float out[8];
    __m256 s = a[0];
    for (int j = 1; j < 12; j++) s = _mm256_add_ps(s, a[j]);
    _mm256_storeu_ps(out, s);
    sink += out[0];
  }
  printf("FMA peak, one core: %.1f GFLOP/s (single precision, best of 400 runs)%s\n", best, sink == 1.5f ? " " : "");
  return 0;
}
