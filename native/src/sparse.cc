// Embedding-table kernels (see sparse.h). Rows are prefetched PREFETCH ids ahead of their use.
#include "sparse.h"
#include <cmath>
#include <cstring>

namespace embnas {

namespace {
constexpr size_t PREFETCH = 8;

inline void prefetch_row(const float* p, size_t dim) {
  for (size_t k = 0; k < dim; k += 16) __builtin_prefetch(p + k);
  __builtin_prefetch(p + dim - 1);
}
}  // namespace

void gather_rows(const float* w, size_t dim, const int32_t* ids, size_t count, float* x, size_t width, size_t offset) {
  for (size_t b = 0; b < count; b++) {
    if (b + PREFETCH < count) prefetch_row(w + static_cast<size_t>(ids[b + PREFETCH]) * dim, dim);
    std::memcpy(x + b * width + offset, w + static_cast<size_t>(ids[b]) * dim, dim * sizeof(float));
  }
}

size_t accumulate_rows(const int32_t* ids, size_t count, const float* dx, size_t width, size_t offset, size_t dim,
                       int32_t* slot, int32_t* uniq, float* sums) {
  size_t n = 0;
  for (size_t b = 0; b < count; b++) {
    if (b + PREFETCH < count) __builtin_prefetch(slot + ids[b + PREFETCH]);
    int32_t id = ids[b];
    int32_t s = slot[id];
    const float* src = dx + b * width + offset;
    if (s < 0) {
      s = static_cast<int32_t>(n++);
      slot[id] = s;
      uniq[s] = id;
      std::memcpy(sums + static_cast<size_t>(s) * dim, src, dim * sizeof(float));
    } else {
      float* dst = sums + static_cast<size_t>(s) * dim;
      for (size_t k = 0; k < dim; k++) dst[k] += src[k];
    }
  }
  return n;
}

void sparse_adam(float* w, float* m, float* v, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols,
                 double step_size, double c1, double c2, double eps) {
  for (size_t i = 0; i < count; i++) {
    if (i + PREFETCH < count) {
      size_t ahead = static_cast<size_t>(ids[i + PREFETCH]) * dim;
      prefetch_row(w + ahead, cols);
      prefetch_row(m + ahead, cols);
      prefetch_row(v + ahead, cols);
    }
    size_t base = static_cast<size_t>(ids[i]) * dim;
    const float* gi = g + i * dim;
    for (size_t k = 0; k < cols; k++) {
      size_t j = base + k;
      double gk = gi[k], mk = m[j], vk = v[j];
      double mj = mk + c1 * (gk - mk);
      double vj = vk + c2 * (gk * gk - vk);
      m[j] = static_cast<float>(mj);
      v[j] = static_cast<float>(vj);
      w[j] = static_cast<float>(static_cast<double>(w[j]) - (step_size * mj) / (std::sqrt(vj) + eps));
    }
  }
}

void sparse_adagrad(float* w, float* sum, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols, double lr, double eps) {
  for (size_t i = 0; i < count; i++) {
    if (i + PREFETCH < count) {
      size_t ahead = static_cast<size_t>(ids[i + PREFETCH]) * dim;
      prefetch_row(w + ahead, cols);
      prefetch_row(sum + ahead, cols);
    }
    size_t base = static_cast<size_t>(ids[i]) * dim;
    const float* gi = g + i * dim;
    for (size_t k = 0; k < cols; k++) {
      size_t j = base + k;
      double gk = gi[k];
      double s = static_cast<double>(sum[j]) + gk * gk;
      sum[j] = static_cast<float>(s);
      w[j] = static_cast<float>(static_cast<double>(w[j]) - (lr * gk) / (std::sqrt(s) + eps));
    }
  }
}

}  // namespace embnas
