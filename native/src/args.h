// Argument checking for the addon's functions: each reads numbers, flags and typed arrays by position, and the first
// wrong argument throws a TypeError naming it (the call then does nothing).
#pragma once
#include <node_api.h>
#include <cstdint>
#include <string>

namespace embnas {

struct Args {
  napi_env env;
  size_t argc = 16;
  napi_value argv[16];
  bool failed = false;

  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr); }

  void fail(const std::string& what) {
    if (!failed) napi_throw_type_error(env, nullptr, ("embnas-native: " + what).c_str());
    failed = true;
  }
  double number(size_t i) {
    double x = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &x) != napi_ok) fail("argument " + std::to_string(i) + " should be a number");
    return x;
  }
  size_t size(size_t i) {
    double x = number(i);
    if (!(x >= 0 && x <= 2147483647.0 && x == static_cast<double>(static_cast<long long>(x)))) fail("argument " + std::to_string(i) + " should be a non-negative integer");
    return failed ? 0 : static_cast<size_t>(x);
  }
  bool flag(size_t i) {
    bool b = false;
    if (i >= argc || napi_get_value_bool(env, argv[i], &b) != napi_ok) fail("argument " + std::to_string(i) + " should be a boolean");
    return b;
  }
  // A typed array's own memory (its view offset applied) and length, or null after a failure.
  void* typed(size_t i, napi_typedarray_type want, const char* name, size_t* length) {
    bool is = false;
    if (i < argc) napi_is_typedarray(env, argv[i], &is);
    napi_typedarray_type type;
    void* data = nullptr;
    *length = 0;
    if (!is || napi_get_typedarray_info(env, argv[i], &type, length, &data, nullptr, nullptr) != napi_ok || type != want) {
      fail("argument " + std::to_string(i) + " should be a " + name);
      return nullptr;
    }
    return data;
  }
  void need(size_t i, size_t length, size_t need) {
    if (length < need) fail("argument " + std::to_string(i) + " has " + std::to_string(length) + " elements, needs " + std::to_string(need));
  }
  // A Float32Array at least `n` elements long.
  float* floats(size_t i, size_t n) {
    size_t length;
    void* data = typed(i, napi_float32_array, "Float32Array", &length);
    if (data) need(i, length, n);
    return static_cast<float*>(data);
  }
  // A Float32Array of any length, and its length.
  float* floats(size_t i, size_t* length) { return static_cast<float*>(typed(i, napi_float32_array, "Float32Array", length)); }
  int32_t* ints(size_t i, size_t* length) { return static_cast<int32_t*>(typed(i, napi_int32_array, "Int32Array", length)); }
};

inline napi_value Undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// Registers `cb` as exports[name].
inline void Export(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

// The sparse (embedding-table) functions of addon-sparse.cc.
void ExportSparse(napi_env env, napi_value exports);
// The memory functions of addon-memory.cc (aligned arrays, huge pages).
void ExportMemory(napi_env env, napi_value exports);

}  // namespace embnas
