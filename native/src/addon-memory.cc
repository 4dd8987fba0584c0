// N-API glue for the memory the tables and the tower work in. JavaScript's large ArrayBuffers come from malloc, 16
// bytes past a page boundary: a 64-byte embedding row (dim 16) then straddles two cache lines, so every row the batch
// gathers or updates costs two misses instead of one, and a 2 MB page can be asked for only on the array's aligned
// interior. alignedArray allocates the memory itself instead: large arrays from a 2 MB boundary (mmap, advised for
// transparent huge pages) and faulted in at once, smaller ones 64-byte aligned, both zeroed and freed when the array is
// collected.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include "args.h"

namespace embnas {

namespace {

constexpr size_t LINE = 64;
constexpr size_t HUGE_PAGE = size_t{2} << 20;
constexpr size_t SMALL_PAGE = 4096;
// From this size up an array is mapped on its own from a 2 MB boundary (it then spans at least one whole huge page).
constexpr size_t HUGE_MIN_BYTES = size_t{4} << 20;

struct Block {
  void* base;
  size_t bytes;
  bool mapped;
};

// Finalizer of an alignedArray's buffer; `env` is null when the buffer was never handed to JavaScript.
void FreeBlock(napi_env env, void*, void* hint) {
  Block* b = static_cast<Block*>(hint);
  int64_t total;
  if (env) napi_adjust_external_memory(env, -static_cast<int64_t>(b->bytes), &total);
  if (b->mapped) munmap(b->base, b->bytes);
  else std::free(b->base);
  delete b;
}

#ifdef MADV_HUGEPAGE
// Faults the whole mapping in now, while the model is built, instead of page by page during its first training steps
// (Adam's moments are first touched row by row, at random): a step then costs the same from the first, and when the
// kernel must compact memory to find a huge page, it does so here rather than in the middle of a step. The kernel does
// it in one call where it can (MADV_POPULATE_WRITE, Linux 5.14); elsewhere one write per page does the same.
void Populate(char* start, size_t size) {
#ifndef MADV_POPULATE_WRITE
  constexpr int MADV_POPULATE_WRITE = 23;
#endif
  if (madvise(start, size, MADV_POPULATE_WRITE) == 0) return;
  for (size_t off = 0; off < size; off += SMALL_PAGE) reinterpret_cast<volatile char*>(start)[off] = 0;
}
#endif

// Zeroed memory of at least `bytes`: 2 MB-aligned and advised for huge pages when large, else 64-byte aligned.
// Null when the system refuses.
Block* Allocate(size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (bytes >= HUGE_MIN_BYTES) {
    // Starts on a 2 MB boundary; ends at the next 4 KB page, not the next 2 MB one: the kernel backs the whole 2 MB
    // stretches with huge pages and the tail with small ones, so the process holds no more than the array needs.
    size_t size = (bytes + SMALL_PAGE - 1) & ~(SMALL_PAGE - 1);
    // Map 2 MB more than needed and trim both ends.
    void* raw = mmap(nullptr, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    uintptr_t start = (reinterpret_cast<uintptr_t>(raw) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    size_t head = start - reinterpret_cast<uintptr_t>(raw);
    if (head > 0) munmap(raw, head);
    munmap(reinterpret_cast<void*>(start + size), HUGE_PAGE - head);
    madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);
    Populate(reinterpret_cast<char*>(start), size);
    return new Block{reinterpret_cast<void*>(start), size, true};
  }
#endif
  size_t size = (bytes + LINE - 1) & ~(LINE - 1);
  void* p = nullptr;
  if (posix_memalign(&p, LINE, size == 0 ? LINE : size) != 0) return nullptr;
  std::memset(p, 0, size);
  return new Block{p, size, false};
}

// alignedArray(n) → a zeroed Float32Array of n elements on memory from Allocate; an ordinary (unaligned) one where
// the runtime refuses external memory (a V8 sandbox) or the system refuses the allocation.
napi_value AlignedArray(napi_env env, napi_callback_info info) {
  Args a(env, info);
  size_t n = a.size(0);
  if (a.failed) return Undefined(env);
  napi_value buffer = nullptr, array;
  Block* block = Allocate(n * sizeof(float));
  if (block && napi_create_external_arraybuffer(env, block->base, n * sizeof(float), FreeBlock, block, &buffer) != napi_ok) {
    FreeBlock(nullptr, nullptr, block);
    buffer = nullptr;
  } else if (block) {
    // V8 does not count external buffers towards the memory that triggers a collection: without this, models
    // dropped by a search would keep their tables until something else made the heap grow.
    int64_t total;
    napi_adjust_external_memory(env, static_cast<int64_t>(block->bytes), &total);
  }
  if (!buffer) {
    void* data;
    napi_create_arraybuffer(env, n * sizeof(float), &data, &buffer);
  }
  napi_create_typedarray(env, napi_float32_array, n, buffer, 0, &array);
  return array;
}

// adviseHugePages(typedArray) → bytes advised: asks the kernel for 2 MB pages on the 2 MB-aligned part of an
// array's memory (Linux, transparent huge pages in "madvise" mode), for arrays not made by alignedArray.
napi_value AdviseHugePages(napi_env env, napi_callback_info info) {
  Args a(env, info);
  double advised = 0;
  bool is = false;
  if (a.argc > 0) napi_is_typedarray(env, a.argv[0], &is);
  if (!is) {
    a.fail("argument 0 should be a typed array");
    return Undefined(env);
  }
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  napi_typedarray_type type;
  napi_get_typedarray_info(env, a.argv[0], &type, &length, &data, &buffer, &offset);
  size_t bytes = length * (type == napi_float64_array || type == napi_bigint64_array || type == napi_biguint64_array ? 8 : type <= napi_uint8_clamped_array ? 1 : type <= napi_uint16_array ? 2 : 4);
#ifdef MADV_HUGEPAGE
  uintptr_t start = (reinterpret_cast<uintptr_t>(data) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(HUGE_PAGE - 1);
  if (end > start && madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE) == 0) advised = static_cast<double>(end - start);
#endif
  napi_value result;
  napi_create_double(env, advised, &result);
  return result;
}

// addressAlignment(typedArray) → the largest power of two (up to 2 MB) dividing the address of its first element.
napi_value AddressAlignment(napi_env env, napi_callback_info info) {
  Args a(env, info);
  bool is = false;
  if (a.argc > 0) napi_is_typedarray(env, a.argv[0], &is);
  if (!is) {
    a.fail("argument 0 should be a typed array");
    return Undefined(env);
  }
  void* data = nullptr;
  napi_get_typedarray_info(env, a.argv[0], nullptr, nullptr, &data, nullptr, nullptr);
  uintptr_t p = reinterpret_cast<uintptr_t>(data);
  size_t align = 1;
  while (align < HUGE_PAGE && p % (align * 2) == 0) align *= 2;
  napi_value result;
  napi_create_double(env, static_cast<double>(align), &result);
  return result;
}

}  // namespace

void ExportMemory(napi_env env, napi_value exports) {
  Export(env, exports, "alignedArray", AlignedArray);
  Export(env, exports, "adviseHugePages", AdviseHugePages);
  Export(env, exports, "addressAlignment", AddressAlignment);
}

}  // namespace embnas
