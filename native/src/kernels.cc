// Element-wise tower kernels (see kernels.h). Plain loops the compiler vectorises; on x86-64 Linux each is also
// built for AVX2 and picked at load time (target_clones), since the addon is compiled once per machine image.
#include "kernels.h"
#include <cmath>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define EMBNAS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define EMBNAS_CLONES
#endif

namespace embnas {

EMBNAS_CLONES void bias_act(float* y, const float* b, size_t rows, size_t cols, bool relu) {
  for (size_t r = 0; r < rows; r++) {
    float* row = y + r * cols;
    if (relu) {
      for (size_t c = 0; c < cols; c++) {
        float z = row[c] + b[c];
        row[c] = z > 0.0f ? z : 0.0f;
      }
    } else {
      for (size_t c = 0; c < cols; c++) row[c] += b[c];
    }
  }
}

EMBNAS_CLONES void relu_grad(float* g, const float* y, size_t n) {
  for (size_t i = 0; i < n; i++) g[i] = y[i] > 0.0f ? g[i] : 0.0f;
}

EMBNAS_CLONES void col_sums(const float* g, size_t rows, size_t cols, float* out) {
  for (size_t c = 0; c < cols; c++) out[c] = 0.0f;
  for (size_t r = 0; r < rows; r++) {
    const float* row = g + r * cols;
    for (size_t c = 0; c < cols; c++) out[c] += row[c];
  }
}

EMBNAS_CLONES void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamConstants& k) {
  const float b1 = k.b1, b2 = k.b2, one_b1 = k.one_b1, one_b2 = k.one_b2, eps = k.eps, c1 = k.c1, c2 = k.c2, neg_lr = -k.lr;
  for (size_t i = 0; i < n; i++) {
    float gi = g[i];
    float mi = m[i] * b1 + gi * one_b1;
    float vi = v[i] * b2 + (gi * gi) * one_b2;
    m[i] = mi;
    v[i] = vi;
    p[i] = (mi / c1) / (std::sqrt(vi / c2) + eps) * neg_lr + p[i];
  }
}

EMBNAS_CLONES void adagrad(float* p, const float* g, float* acc, size_t n, float lr, float eps) {
  const float neg_lr = -lr;
  for (size_t i = 0; i < n; i++) {
    float a = acc[i] + g[i] * g[i];
    acc[i] = a;
    p[i] = g[i] / std::sqrt(a + eps) * neg_lr + p[i];
  }
}

}  // namespace embnas
