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

// The backward pass needs the masked gradient and its column sums: one pass over the 2048 × 400 gradient (3.2 MB, out
// of L2) instead of two. Same sums, in the same order, as col_sums on the masked gradient.
EMBNAS_CLONES void relu_grad_col_sums(float* __restrict g, const float* __restrict y, size_t rows, size_t cols, float* __restrict out) {
  for (size_t c = 0; c < cols; c++) out[c] = 0.0f;
  for (size_t r = 0; r < rows; r++) {
    float* row = g + r * cols;
    const float* yr = y + r * cols;
    for (size_t c = 0; c < cols; c++) {
      float v = yr[c] > 0.0f ? row[c] : 0.0f;
      row[c] = v;
      out[c] += v;
    }
  }
}

// The tower's last layer has one output, so its input gradient is an outer product: as an sgemm with k = 1 it is a
// zeroing pass, a multiply pass and then the ReLU pass over 2048 × 400; here it is one pass writing what the ReLU
// pass would leave. Each product g[r]·w[c] is rounded once, as the sgemm rounds it.
EMBNAS_CLONES void outer_relu_col_sums(const float* __restrict g, const float* __restrict w, const float* __restrict y, size_t rows,
                                       size_t cols, float* __restrict prev, float* __restrict out) {
  for (size_t c = 0; c < cols; c++) out[c] = 0.0f;
  for (size_t r = 0; r < rows; r++) {
    const float gr = g[r];
    const float* yr = y + r * cols;
    float* pr = prev + r * cols;
    // Two loops over a row that stays in L1: GCC will not vectorise a product under a condition.
    for (size_t c = 0; c < cols; c++) pr[c] = gr * w[c];
    for (size_t c = 0; c < cols; c++) {
      float v = yr[c] > 0.0f ? pr[c] : 0.0f;
      pr[c] = v;
      out[c] += v;
    }
  }
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
