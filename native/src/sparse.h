// The embedding tables' per-batch work (gather into the tower input, summing the gradient rows of duplicate ids,
// SparseAdam / Adagrad on the touched rows), with the next rows prefetched: the tables are far larger than the
// caches, and these loops wait on memory, not on arithmetic. The arithmetic is TypeScript's (double precision, the
// same order, float32 stores), so results are bit for bit those of the TypeScript kernels they replace.
#pragma once
#include <cstddef>
#include <cstdint>

namespace embnas {

// x[b·width + offset + k] = w[ids[b]·dim + k] for b < count, k < dim.
void gather_rows(const float* w, size_t dim, const int32_t* ids, size_t count, float* x, size_t width, size_t offset);
// RowAccumulator.accumulate: first-seen distinct ids into uniq, their summed gradient rows into sums; slot[id] is
// −1 for ids not yet seen and is left set (the caller releases it). Returns the number of distinct ids.
size_t accumulate_rows(const int32_t* ids, size_t count, const float* dx, size_t width, size_t offset, size_t dim,
                       int32_t* slot, int32_t* uniq, float* sums);
// RowAccumulator.release: slot[uniq[i]] = −1 for i < n (the slots accumulate_rows set).
void release_rows(int32_t* slot, const int32_t* uniq, size_t n);
// SparseAdam.update on rows ids[0..count) (first `cols` columns), step size and constants from the caller. The
// moments are interleaved by row: row r's m at mv[2·r·dim], its v at mv[2·r·dim + dim].
void sparse_adam(float* w, float* mv, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols,
                 double step_size, double c1, double c2, double eps);
// SparseAdagrad.update on rows ids[0..count) (first `cols` columns).
void sparse_adagrad(float* w, float* sum, const int32_t* ids, const float* g, size_t count, size_t dim, size_t cols, double lr, double eps);

}  // namespace embnas
