// Element-wise kernels of the dense tower that BLAS has no routine for (bias + ReLU, ReLU's gradient, column sums,
// the optimizers' updates), kept next to the GEMMs so a training step never leaves native code for its dense math.
#pragma once
#include <cstddef>

namespace embnas {

// y[r][c] = act(y[r][c] + b[c]) over rows × cols, row-major.
void bias_act(float* y, const float* b, size_t rows, size_t cols, bool relu);
// g[i] = y[i] > 0 ? g[i] : 0 over rows × cols (ReLU's gradient taken on its output, 0 at 0 like tfjs's step), and
// out[c] = Σ_r g[r][c] of the masked g, rows in order (the bias gradient of the layer below, as col_sums gives it).
void relu_grad_col_sums(float* g, const float* y, size_t rows, size_t cols, float* out);
// The backward step through a one-output layer into a ReLU layer: prev[r][c] = g[r]·w[c] where y[r][c] > 0, else 0,
// and out[c] = Σ_r prev[r][c], rows in order: g·wᵀ, relu_grad_col_sums, in one pass.
void outer_relu_col_sums(const float* g, const float* w, const float* y, size_t rows, size_t cols, float* prev, float* out);
// out[c] = Σ_r g[r][c].
void col_sums(const float* g, size_t rows, size_t cols, float* out);
// One Adam step in tfjs's order of float32 operations. The caller passes the constants as tfjs rounds them:
// 1 − β1 and 1 − β2 computed in double, c1 = 1 − β1^t and c2 = 1 − β2^t in float32.
struct AdamConstants {
  float lr, b1, b2, one_b1, one_b2, eps, c1, c2;
};
void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamConstants& k);
// One Adagrad step as tfjs computes it: acc += g²; p −= lr·g / √(acc + eps).
void adagrad(float* p, const float* g, float* acc, size_t n, float lr, float eps);

}  // namespace embnas
