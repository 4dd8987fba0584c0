# The native tower kernels: one N-API module over the system's CBLAS, located by find-blas.js at build time.
{
  "targets": [
    {
      "target_name": "embnas_native",
      "sources": ["src/addon.cc", "src/addon-sparse.cc", "src/addon-memory.cc", "src/kernels.cc", "src/sparse.cc"],
      "include_dirs": ["<!@(node find-blas.js cflags)"],
      "libraries": ["<!@(node find-blas.js libs)"],
      "cflags_cc": ["-O3", "-fno-math-errno", "-ffp-contract=off", "-std=c++17"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] }
    }
  ]
}
