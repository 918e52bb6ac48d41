// AVX2 matrix products for the float32 engine, a Node-API addon built by scripts/build-native.sh into
// lib/dist/kernels-native.node. Optional: without it (no compiler, another CPU) the WebAssembly kernels do the same.
//
// Why native code: WebAssembly SIMD is 128 bits wide and has no fused multiply–add on Node 20 (relaxed SIMD needs an
// experimental flag), and the matrix products are ~2/3 of a training step. The same products in 256-bit registers
// run ~2x faster (bench/gemm.ts) and give *the same bits*: every entry of C is the sum the WebAssembly kernel
// (lib/assembly/kernels.ts) forms, term by term (eq. (36) of lib/src/papers/intro/README.md): per block of KC = 128
// values of p, acc = 0, acc = acc + A(i,p)·B(p,j) in ascending p with a separate rounding of each product and each sum
// (no FMA: the products are compiled for "avx2,no-fma", and -ffp-contract=off), then C = acc (beta = 0), C + acc
// (beta = 1) or beta·C + acc for the first block and C + acc for the later ones. Only the number of entries computed
// at once differs, and each lane is computed on its own.
//
// One routine serves gemmNN (A is m×k: A(i,p) at i·k + p) and gemmTN (A is k×m: A(i,p) at p·m + i) through the
// strides (ai, ap). Arrays are byte offsets into one WebAssembly.Memory's buffer, bound once (memory()).
#include <node_api.h>
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

namespace {

// A WebAssembly memory's bytes, bound once (the memory is never grown, so they do not move).
struct Memory {
  uint8_t* base;
  size_t bytes;
};

// Only the products are compiled for AVX2 (without FMA), so that loading the addon on an older CPU runs no AVX2
// instruction before init() has asked the CPU.
#pragma GCC push_options
#pragma GCC target("avx2,no-fma")

constexpr int KC = 128;  // the WebAssembly kernel's k block: the block boundaries are part of the result
constexpr int MR = 6;    // rows of C per micro-tile: 12 accumulators + 2 rows of B + 1 broadcast = 15 of 16 registers

// The finish of one k block for 8 lanes of C (mode 0: C = acc; 1: C + acc; 2: beta·C + acc), under a mask of lanes.
inline __m256 finish8(__m256 acc, __m256 c, int mode, __m256 beta) {
  if (mode == 0) return acc;
  if (mode == 1) return _mm256_add_ps(c, acc);
  return _mm256_add_ps(_mm256_mul_ps(c, beta), acc);
}

// R rows × (8·V lanes, the last vector masked to `width` − 8·(V − 1) columns) of C over one k block.
// A is packed: its R rows' values for p at Ap[p·R + r].
template <int R, int V>
inline void tile(int kc, const float* Ap, const float* B, ptrdiff_t ldb, float* C, ptrdiff_t ldc, int mode, __m256 beta, __m256i lastMask, bool masked) {
  __m256 acc[R][V];
#pragma GCC unroll 6
  for (int r = 0; r < R; r++)
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) acc[r][v] = _mm256_setzero_ps();
  for (int p = 0; p < kc; p++) {
    const float* b = B + p * ldb;
    __m256 bv[V];
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) bv[v] = (masked && v == V - 1) ? _mm256_maskload_ps(b + 8 * v, lastMask) : _mm256_loadu_ps(b + 8 * v);
    const float* a = Ap + p * R;
#pragma GCC unroll 6
    for (int r = 0; r < R; r++) {
      const __m256 s = _mm256_broadcast_ss(a + r);
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) acc[r][v] = _mm256_add_ps(acc[r][v], _mm256_mul_ps(s, bv[v]));
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; r++) {
    float* c = C + r * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) {
      if (masked && v == V - 1) {
        const __m256 old = mode == 0 ? _mm256_setzero_ps() : _mm256_maskload_ps(c + 8 * v, lastMask);
        _mm256_maskstore_ps(c + 8 * v, lastMask, finish8(acc[r][v], old, mode, beta));
      } else {
        const __m256 old = mode == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(c + 8 * v);
        _mm256_storeu_ps(c + 8 * v, finish8(acc[r][v], old, mode, beta));
      }
    }
  }
}

// R rows of C over one k block: A's block packed once (a copy: it changes no value), then every column strip.
// The packing makes gemmTN's A (rows adjacent, p a stride of m apart) as cheap to read as gemmNN's.
template <int R>
inline void rowBlock(int n, int kc, const float* A, ptrdiff_t ai, ptrdiff_t ap, const float* B, ptrdiff_t ldb, float* C, ptrdiff_t ldc, int mode, __m256 beta) {
  alignas(32) float Ap[R * KC];
  for (int p = 0; p < kc; p++)
#pragma GCC unroll 6
    for (int r = 0; r < R; r++) Ap[p * R + r] = A[r * ai + p * ap];
  const __m256i all = _mm256_set1_epi32(-1);
  int j = 0;
  for (; j + 16 <= n; j += 16) tile<R, 2>(kc, Ap, B + j, ldb, C + j, ldc, mode, beta, all, false);
  if (j + 8 <= n) {
    tile<R, 1>(kc, Ap, B + j, ldb, C + j, ldc, mode, beta, all, false);
    j += 8;
  }
  if (j < n) {
    const int w = n - j;  // 1 … 7 columns: the lanes past them are neither read nor written
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(w), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    tile<R, 1>(kc, Ap, B + j, ldb, C + j, ldc, mode, beta, mask, true);
  }
}

void gemm(int m, int n, int k, const float* A, ptrdiff_t ai, ptrdiff_t ap, const float* B, float beta, float* C) {
  const __m256 vbeta = _mm256_set1_ps(beta);
  const int firstMode = beta == 0.0f ? 0 : beta == 1.0f ? 1 : 2;
  // k = 0 is one empty block (C = beta·C + 0, as the WebAssembly kernel gives).
  for (int pc = 0; pc == 0 || pc < k; pc += KC) {
    const int kc = k - pc < KC ? k - pc : KC;
    const int mode = pc == 0 ? firstMode : 1;
    const float* Ab = A + pc * ap;
    const float* Bb = B + static_cast<ptrdiff_t>(pc) * n;
    // Row blocks of MR, then one block of the 1 … MR − 1 rows left.
    using RowBlock = void (*)(int, int, const float*, ptrdiff_t, ptrdiff_t, const float*, ptrdiff_t, float*, ptrdiff_t, int, __m256);
    static constexpr RowBlock byRows[MR] = {nullptr, rowBlock<1>, rowBlock<2>, rowBlock<3>, rowBlock<4>, rowBlock<5>};
    for (int i = 0; i < m; i += MR) {
      const RowBlock run = m - i >= MR ? rowBlock<MR> : byRows[m - i];
      run(n, kc, Ab + i * ai, ai, ap, Bb, n, C + static_cast<ptrdiff_t>(i) * n, n, mode, vbeta);
    }
    if (k == 0) break;
  }
}

#pragma GCC pop_options

// ---- Node-API glue --------------------------------------------------------------------------------------------

napi_value fail(napi_env env, const char* message) {
  napi_throw_range_error(env, nullptr, message);
  return nullptr;
}

void freeMemory(napi_env, void* data, void*) { delete static_cast<Memory*>(data); }

// memory(buffer: ArrayBuffer) → a handle to the buffer's bytes (the WebAssembly memory is never grown).
napi_value bindMemory(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t bytes = 0;
  if (argc < 1 || napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) return fail(env, "native kernels: memory() takes an ArrayBuffer");
  napi_value handle;
  napi_create_external(env, new Memory{static_cast<uint8_t*>(data), bytes}, freeMemory, nullptr, &handle);
  return handle;
}

// gemmNN / gemmTN(handle, m, n, k, offsetA, offsetB, beta, offsetC): byte offsets; every array is checked to lie
// inside the memory (an out-of-range offset would otherwise read or write outside it).
template <bool transposedA>
napi_value gemmCall(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 8) return fail(env, "native kernels: gemm takes 8 arguments");
  void* raw = nullptr;
  if (napi_get_value_external(env, argv[0], &raw) != napi_ok || raw == nullptr) return fail(env, "native kernels: the first argument is not a memory handle");
  const Memory* mem = static_cast<Memory*>(raw);
  int64_t v[7];
  double beta = 0;
  for (int a = 1; a < 8; a++) {
    if (a == 6) {
      if (napi_get_value_double(env, argv[a], &beta) != napi_ok) return fail(env, "native kernels: beta is not a number");
    } else if (napi_get_value_int64(env, argv[a], &v[a - 1]) != napi_ok) {
      return fail(env, "native kernels: sizes and offsets must be numbers");
    }
  }
  const int64_t m = v[0], n = v[1], k = v[2], offA = v[3], offB = v[4], offC = v[6];
  if (m < 0 || n < 0 || k < 0 || m > (1 << 28) || n > (1 << 28) || k > (1 << 28)) return fail(env, "native kernels: m, n, k must be in 0 … 2^28");
  const auto inside = [&](int64_t off, int64_t floats) { return off >= 0 && (off & 3) == 0 && floats >= 0 && off + 4 * floats <= static_cast<int64_t>(mem->bytes); };
  if (!inside(offA, m * k) || !inside(offB, k * n) || !inside(offC, m * n)) return fail(env, "native kernels: an array lies outside the memory");
  if (m == 0 || n == 0) return nullptr;
  const float* A = reinterpret_cast<const float*>(mem->base + offA);
  const float* B = reinterpret_cast<const float*>(mem->base + offB);
  float* C = reinterpret_cast<float*>(mem->base + offC);
  const float b = static_cast<float>(beta);  // the WebAssembly export takes beta as f32 too
  if (transposedA) gemm(static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), A, 1, m, B, b, C);
  else gemm(static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), A, k, 1, B, b, C);
  return nullptr;
}

napi_value init(napi_env env, napi_value exports) {
  // The addon is compiled for AVX2; on a CPU without it, `available` is false and nothing else is exported.
  __builtin_cpu_init();
  const bool ok = __builtin_cpu_supports("avx2");
  napi_value flag;
  napi_get_boolean(env, ok, &flag);
  napi_set_named_property(env, exports, "available", flag);
  if (!ok) return exports;
  const napi_property_descriptor props[] = {
      {"memory", nullptr, bindMemory, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmNN", nullptr, gemmCall<false>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmTN", nullptr, gemmCall<true>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}

}  // namespace

NAPI_MODULE_INIT() { return init(env, exports); }
