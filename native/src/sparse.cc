// Embedding-table kernels (see sparse.h). Each walks the batch's rows once, prefetching the rows PREFETCH ids ahead:
// the tables are far larger than the caches, so these loops wait on memory first and on arithmetic second.
//
// The arithmetic is element-wise (no sums across a row), so vectorising a row changes no result: every element goes
// through the same double-precision operations in the same order, and vector sqrt, division and float↔double
// conversions round exactly as their scalar forms do (-ffp-contract=off keeps multiply and add apart). On x86-64 Linux
// each kernel is also built for AVX-512 and AVX2 and the CPU's best is picked at load time (target_clones): a row of 16
// floats is then one or two vector registers instead of 16 scalar square roots and divisions.
#include "sparse.h"
#include <cmath>
#include <cstring>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define EMBNAS_SPARSE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EMBNAS_SPARSE_CLONES
#endif

namespace embnas {

namespace {
// Rows fetched ahead: a vectorised row update takes tens of nanoseconds, a miss to memory ~100 ns. On the reference
// model 8, 16 and 32 measured the same (the loops are then limited by memory throughput, not by latency).
constexpr size_t PREFETCH = 16;

inline void prefetch_row(const float* p, size_t n) {
  for (size_t k = 0; k < n; k += 16) __builtin_prefetch(p + k);
  __builtin_prefetch(p + n - 1);
}

inline void prefetch_row_w(const float* p, size_t n) {
  for (size_t k = 0; k < n; k += 16) __builtin_prefetch(p + k, 1);
  __builtin_prefetch(p + n - 1, 1);
}

// dst[0..n) = src[0..n) in fixed-size pieces the compiler inlines as vector moves (a memcpy of a runtime size is a
// library call per row: 4 % of a step's samples went to it in a profile).
inline void copy_row(float* __restrict dst, const float* __restrict src, size_t n) {
  size_t k = 0;
  for (; k + 16 <= n; k += 16) std::memcpy(dst + k, src + k, 16 * sizeof(float));
  for (; k + 4 <= n; k += 4) std::memcpy(dst + k, src + k, 4 * sizeof(float));
  for (; k < n; k++) dst[k] = src[k];
}

inline void add_row(float* __restrict dst, const float* __restrict src, size_t n) {
  for (size_t k = 0; k < n; k++) dst[k] += src[k];
}

// One row of SparseAdam, element by element as SparseAdam.update computes it (sparse-optimizers.ts).
inline void adam_row(float* __restrict w, float* __restrict m, float* __restrict v, const float* __restrict g, size_t n,
                     double step_size, double c1, double c2, double eps) {
  for (size_t k = 0; k < n; k++) {
    double gk = g[k], mk = m[k], vk = v[k];
    double mj = mk + c1 * (gk - mk);
    double vj = vk + c2 * (gk * gk - vk);
    m[k] = static_cast<float>(mj);
    v[k] = static_cast<float>(vj);
    w[k] = static_cast<float>(static_cast<double>(w[k]) - (step_size * mj) / (std::sqrt(vj) + eps));
  }
}

// One row of SparseAdagrad, as SparseAdagrad.update computes it.
inline void adagrad_row(float* __restrict w, float* __restrict sum, const float* __restrict g, size_t n, double lr, double eps) {
  for (size_t k = 0; k < n; k++) {
    double gk = g[k];
    double s = static_cast<double>(sum[k]) + gk * gk;
    sum[k] = static_cast<float>(s);
    w[k] = static_cast<float>(static_cast<double>(w[k]) - (lr * gk) / (std::sqrt(s) + eps));
  }
}
}  // namespace

EMBNAS_SPARSE_CLONES
void gather_rows(const float* w, size_t dim, const int32_t* ids, size_t count, float* x, size_t width, size_t offset) {
  for (size_t b = 0; b < count; b++) {
    if (b + PREFETCH < count) prefetch_row(w + static_cast<size_t>(ids[b + PREFETCH]) * dim, dim);
    copy_row(x + b * width + offset, w + static_cast<size_t>(ids[b]) * dim, dim);
  }
}

EMBNAS_SPARSE_CLONES
size_t accumulate_rows(const int32_t* ids, size_t count, const float* dx, size_t width, size_t offset, size_t dim,
                       int32_t* slot, int32_t* uniq, float* sums) {
  size_t n = 0;
  for (size_t b = 0; b < count; b++) {
    if (b + PREFETCH < count) __builtin_prefetch(slot + ids[b + PREFETCH], 1);
    int32_t id = ids[b];
    int32_t s = slot[id];
    const float* src = dx + b * width + offset;
    if (s < 0) {
      s = static_cast<int32_t>(n++);
      slot[id] = s;
      uniq[s] = id;
      copy_row(sums + static_cast<size_t>(s) * dim, src, dim);
    } else {
      add_row(sums + static_cast<size_t>(s) * dim, src, dim);
    }
  }
  return n;
}

void release_rows(int32_t* slot, const int32_t* uniq, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i + PREFETCH < n) __builtin_prefetch(slot + uniq[i + PREFETCH], 1);
    slot[uniq[i]] = -1;
  }
}

EMBNAS_SPARSE_CLONES
void sparse_adam(float* w, float* mv, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols,
                 double step_size, double c1, double c2, double eps) {
  for (size_t i = 0; i < count; i++) {
    if (i + PREFETCH < count) {
      size_t ahead = static_cast<size_t>(ids[i + PREFETCH]) * dim;
      prefetch_row_w(w + ahead, cols);
      prefetch_row_w(mv + 2 * ahead, cols);
      prefetch_row_w(mv + 2 * ahead + dim, cols);
    }
    size_t base = static_cast<size_t>(ids[i]) * dim;
    float* m = mv + 2 * base;
    adam_row(w + base, m, m + dim, g + i * dim, cols, step_size, c1, c2, eps);
  }
}

EMBNAS_SPARSE_CLONES
void sparse_adagrad(float* w, float* sum, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols, double lr, double eps) {
  for (size_t i = 0; i < count; i++) {
    if (i + PREFETCH < count) {
      size_t ahead = static_cast<size_t>(ids[i + PREFETCH]) * dim;
      prefetch_row_w(w + ahead, cols);
      prefetch_row_w(sum + ahead, cols);
    }
    size_t base = static_cast<size_t>(ids[i]) * dim;
    adagrad_row(w + base, sum + base, g + i * dim, cols, lr, eps);
  }
}

}  // namespace embnas
