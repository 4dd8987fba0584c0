// N-API glue of embnas's native tower: row-major cblas_sgemm and the element-wise kernels of kernels.h, called on
// Float32Arrays owned by JavaScript (no copies: each call works on the arrays' own memory). Every call checks the
// arrays are large enough for the shapes it is given, so a wrong call throws instead of writing out of bounds.
// OpenBLAS runs one thread per caller: the engine's parallelism is its workers, one model each.
#include <node_api.h>
#include <cblas.h>
#include <string>
#include <cstdint>
#include "args.h"
#include "kernels.h"

// OpenBLAS extensions, weak so the addon still links and runs against another CBLAS.
extern "C" {
char* openblas_get_config(void) __attribute__((weak));
char* openblas_get_corename(void) __attribute__((weak));
void openblas_set_num_threads(int) __attribute__((weak));
int openblas_get_num_threads(void) __attribute__((weak));
}

namespace {

using embnas::Args;
using embnas::Undefined;

// sgemm(transA, transB, m, n, k, alpha, A, B, beta, C): C (m × n) = alpha·op(A)·op(B) + beta·C, all row-major and
// packed (lda = transA ? m : k, ldb = transB ? k : n, ldc = n).
napi_value Sgemm(napi_env env, napi_callback_info info) {
  Args a(env, info);
  bool ta = a.flag(0), tb = a.flag(1);
  size_t m = a.size(2), n = a.size(3), k = a.size(4);
  float alpha = static_cast<float>(a.number(5));
  const float* A = a.floats(6, m * k);
  const float* B = a.floats(7, k * n);
  float beta = static_cast<float>(a.number(8));
  float* C = a.floats(9, m * n);
  if (a.failed || m == 0 || n == 0) return Undefined(env);
  if (n == 1) {
    // A matrix-vector product (the tower's one-logit layer): sgemv, which OpenBLAS runs several times faster than
    // an sgemm of one column. op(B) is then k contiguous floats whether transposed or not.
    if (ta) cblas_sgemv(CblasRowMajor, CblasTrans, static_cast<int>(k), static_cast<int>(m), alpha, A, static_cast<int>(m), B, 1, beta, C, 1);
    else cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(m), static_cast<int>(k), alpha, A, static_cast<int>(k), B, 1, beta, C, 1);
    return Undefined(env);
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, A, static_cast<int>(ta ? m : k), B, static_cast<int>(tb ? k : n), beta, C, static_cast<int>(n));
  return Undefined(env);
}

// biasAct(y, b, rows, cols, relu)
napi_value BiasAct(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t rows = a.size(2), cols = a.size(3);
  float* y = a.floats(0, rows * cols);
  const float* b = a.floats(1, cols);
  bool relu = a.flag(4);
  if (!a.failed) embnas::bias_act(y, b, rows, cols, relu);
  return Undefined(env);
}

// reluGradColSums(g, y, rows, cols, out)
napi_value ReluGradColSums(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t rows = a.size(2), cols = a.size(3);
  float* g = a.floats(0, rows * cols);
  const float* y = a.floats(1, rows * cols);
  float* out = a.floats(4, cols);
  if (!a.failed) embnas::relu_grad_col_sums(g, y, rows, cols, out);
  return Undefined(env);
}

// outerReluColSums(g, w, y, rows, cols, prev, out)
napi_value OuterReluColSums(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t rows = a.size(3), cols = a.size(4);
  const float* g = a.floats(0, rows);
  const float* w = a.floats(1, cols);
  const float* y = a.floats(2, rows * cols);
  float* prev = a.floats(5, rows * cols);
  float* out = a.floats(6, cols);
  if (!a.failed) embnas::outer_relu_col_sums(g, w, y, rows, cols, prev, out);
  return Undefined(env);
}

// colSums(g, rows, cols, out)
napi_value ColSums(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t rows = a.size(1), cols = a.size(2);
  const float* g = a.floats(0, rows * cols);
  float* out = a.floats(3, cols);
  if (!a.failed) embnas::col_sums(g, rows, cols, out);
  return Undefined(env);
}

// adam(p, g, m, v, lr, b1, b2, oneMinusB1, oneMinusB2, eps, c1, c2): every array as long as p.
napi_value Adam(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t n = 0;
  float* p = a.floats(0, &n);
  const float* g = a.floats(1, n);
  float* m = a.floats(2, n);
  float* v = a.floats(3, n);
  embnas::AdamConstants k;
  float* fields[] = {&k.lr, &k.b1, &k.b2, &k.one_b1, &k.one_b2, &k.eps, &k.c1, &k.c2};
  for (size_t i = 0; i < 8; i++) *fields[i] = static_cast<float>(a.number(4 + i));
  if (!a.failed) embnas::adam(p, g, m, v, n, k);
  return Undefined(env);
}

// adagrad(p, g, acc, lr, eps): every array as long as p.
napi_value Adagrad(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t n = 0;
  float* p = a.floats(0, &n);
  const float* g = a.floats(1, n);
  float* acc = a.floats(2, n);
  float lr = static_cast<float>(a.number(3)), eps = static_cast<float>(a.number(4));
  if (!a.failed) embnas::adagrad(p, g, acc, n, lr, eps);
  return Undefined(env);
}

void SetString(napi_env env, napi_value obj, const char* key, const char* value) {
  napi_value s;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, key, s);
}

// info(): { blas, core, threads } — which BLAS the addon linked, as the CBLAS reports itself.
napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, threads;
  napi_create_object(env, &obj);
  std::string config = openblas_get_config ? openblas_get_config() : "CBLAS (not OpenBLAS)";
  while (!config.empty() && config.back() == ' ') config.pop_back();
  SetString(env, obj, "blas", config.c_str());
  SetString(env, obj, "core", openblas_get_corename ? openblas_get_corename() : "");
  napi_create_int32(env, openblas_get_num_threads ? openblas_get_num_threads() : 1, &threads);
  napi_set_named_property(env, obj, "threads", threads);
  return obj;
}

}  // namespace

NAPI_MODULE_INIT() {
  // One BLAS thread per caller; set before any GEMM runs.
  if (openblas_set_num_threads) openblas_set_num_threads(1);
  embnas::Export(env, exports, "sgemm", Sgemm);
  embnas::Export(env, exports, "biasAct", BiasAct);
  embnas::Export(env, exports, "reluGradColSums", ReluGradColSums);
  embnas::Export(env, exports, "outerReluColSums", OuterReluColSums);
  embnas::Export(env, exports, "colSums", ColSums);
  embnas::Export(env, exports, "adam", Adam);
  embnas::Export(env, exports, "adagrad", Adagrad);
  embnas::Export(env, exports, "info", Info);
  embnas::ExportSparse(env, exports);
  embnas::ExportMemory(env, exports);
  return exports;
}
