// N-API glue of the embedding-table kernels (sparse.h). Every id is checked against the table's row count before
// anything is written, so a bad id throws instead of writing outside the table.
#include "args.h"
#include "sparse.h"

namespace embnas {

namespace {

// True when every ids[0..count) is in [0, rows); otherwise throws through `a`.
bool IdsInRange(Args& a, const int32_t* ids, size_t count, size_t rows) {
  for (size_t i = 0; i < count; i++) {
    if (ids[i] < 0 || static_cast<size_t>(ids[i]) >= rows) {
      a.fail("id " + std::to_string(ids[i]) + " at " + std::to_string(i) + " is outside the table's " + std::to_string(rows) + " rows");
      return false;
    }
  }
  return true;
}

// gatherRows(weights, dim, ids, count, x, width, offset)
napi_value GatherRows(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t wn, idn;
  const float* w = a.floats(0, &wn);
  size_t dim = a.size(1), count = a.size(3), width = a.size(5), offset = a.size(6);
  const int32_t* ids = a.ints(2, &idn);
  if (!a.failed) a.need(2, idn, count);
  float* x = a.floats(4, count * width);
  if (!a.failed && (dim == 0 || offset + dim > width)) a.fail("columns [offset, offset + dim) must lie within width");
  if (!a.failed && IdsInRange(a, ids, count, wn / dim)) gather_rows(w, dim, ids, count, x, width, offset);
  return Undefined(env);
}

// accumulateRows(ids, count, dx, width, offset, dim, slot, uniqueIds, gradSums) → number of distinct ids
napi_value AccumulateRows(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t idn, slotn, uniqn;
  const int32_t* ids = a.ints(0, &idn);
  size_t count = a.size(1), width = a.size(3), offset = a.size(4), dim = a.size(5);
  if (!a.failed) a.need(0, idn, count);
  const float* dx = a.floats(2, count * width);
  int32_t* slot = a.ints(6, &slotn);
  int32_t* uniq = a.ints(7, &uniqn);
  size_t most = count < slotn ? count : slotn;
  if (!a.failed) a.need(7, uniqn, most);
  float* sums = a.floats(8, most * dim);
  if (!a.failed && offset + dim > width) a.fail("columns [offset, offset + dim) must lie within width");
  double n = 0;
  if (!a.failed && IdsInRange(a, ids, count, slotn)) n = static_cast<double>(accumulate_rows(ids, count, dx, width, offset, dim, slot, uniq, sums));
  napi_value result;
  napi_create_double(env, n, &result);
  return result;
}

// releaseRows(slot, uniqueIds, n): slot[uniqueIds[i]] = −1 for i < n
napi_value ReleaseRows(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t slotn, uniqn;
  int32_t* slot = a.ints(0, &slotn);
  const int32_t* uniq = a.ints(1, &uniqn);
  size_t n = a.size(2);
  if (!a.failed) a.need(1, uniqn, n);
  if (!a.failed && IdsInRange(a, uniq, n, slotn)) release_rows(slot, uniq, n);
  return Undefined(env);
}

// sparseAdam(weights, mv, ids, grads, count, dim, cols, stepSize, c1, c2, eps): mv twice as long as weights
napi_value SparseAdam(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t wn, idn;
  float* w = a.floats(0, &wn);
  float* mv = a.floats(1, 2 * wn);
  const int32_t* ids = a.ints(2, &idn);
  size_t count = a.size(4), dim = a.size(5), cols = a.size(6);
  if (!a.failed) a.need(2, idn, count);
  const float* g = a.floats(3, count * dim);
  double step = a.number(7), c1 = a.number(8), c2 = a.number(9), eps = a.number(10);
  if (!a.failed && (dim == 0 || cols > dim)) a.fail("cols must be at most dim, dim positive");
  if (!a.failed && IdsInRange(a, ids, count, wn / dim)) sparse_adam(w, mv, ids, g, count, dim, cols, step, c1, c2, eps);
  return Undefined(env);
}

// sparseAdagrad(weights, sum, ids, grads, count, dim, cols, lr, eps)
napi_value SparseAdagrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t wn, idn;
  float* w = a.floats(0, &wn);
  float* sum = a.floats(1, wn);
  const int32_t* ids = a.ints(2, &idn);
  size_t count = a.size(4), dim = a.size(5), cols = a.size(6);
  if (!a.failed) a.need(2, idn, count);
  const float* g = a.floats(3, count * dim);
  double lr = a.number(7), eps = a.number(8);
  if (!a.failed && (dim == 0 || cols > dim)) a.fail("cols must be at most dim, dim positive");
  if (!a.failed && IdsInRange(a, ids, count, wn / dim)) sparse_adagrad(w, sum, ids, g, count, dim, cols, lr, eps);
  return Undefined(env);
}

}  // namespace

void ExportSparse(napi_env env, napi_value exports) {
  Export(env, exports, "gatherRows", GatherRows);
  Export(env, exports, "accumulateRows", AccumulateRows);
  Export(env, exports, "releaseRows", ReleaseRows);
  Export(env, exports, "sparseAdam", SparseAdam);
  Export(env, exports, "sparseAdagrad", SparseAdagrad);
}

}  // namespace embnas
