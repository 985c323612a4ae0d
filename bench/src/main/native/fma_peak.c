/* The CPU's float32 FMA peak, measured: each thread runs independent chains of fused multiply-adds
 * (12 accumulators, enough to cover the FMA latency on both pipes) with no memory traffic. This is
 * the ceiling any matrix product can reach on this machine; `bench matmul` prints its columns
 * against it. Usage: fma_peak THREADS; prints "isa <name>" and "peak <GFLOP/s>" (best of 3). */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 100000000L

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define CHAINS(V, FMA, SET)                                                                        \
    V a0 = SET(1.00f), a1 = SET(1.01f), a2 = SET(1.02f), a3 = SET(1.03f), a4 = SET(1.04f),         \
      a5 = SET(1.05f), a6 = SET(1.06f), a7 = SET(1.07f), a8 = SET(1.08f), a9 = SET(1.09f),         \
      a10 = SET(1.10f), a11 = SET(1.11f);                                                          \
    V x = SET(0.999999f), y = SET(1e-7f);                                                          \
    for (long i = 0; i < n; i++) {                                                                 \
        a0 = FMA(a0, x, y); a1 = FMA(a1, x, y); a2 = FMA(a2, x, y); a3 = FMA(a3, x, y);            \
        a4 = FMA(a4, x, y); a5 = FMA(a5, x, y); a6 = FMA(a6, x, y); a7 = FMA(a7, x, y);            \
        a8 = FMA(a8, x, y); a9 = FMA(a9, x, y); a10 = FMA(a10, x, y); a11 = FMA(a11, x, y);        \
    }                                                                                              \
    V s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;                            \
    float out[sizeof(V) / sizeof(float)];                                                          \
    __builtin_memcpy(out, &s, sizeof(out));                                                        \
    return out[0];

__attribute__((target("avx512f"))) static float chains512(long n) { CHAINS(__m512, _mm512_fmadd_ps, _mm512_set1_ps) }
__attribute__((target("avx2,fma"))) static float chains256(long n) { CHAINS(__m256, _mm256_fmadd_ps, _mm256_set1_ps) }

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    int avx512 = __builtin_cpu_supports("avx512f");
    int lanes = avx512 ? 16 : 8;
    printf("isa %s\n", avx512 ? "AVX-512" : "AVX2");
    double best = 0;
    volatile float sink = 0;
    for (int round = 0; round < 3; round++) {
        double t0 = now();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        sink += avx512 ? chains512(ITERS / threads) : chains256(ITERS / threads);
        double gflops = (double) (ITERS / threads) * threads * 12 * lanes * 2 / (now() - t0) / 1e9;
        if (gflops > best) best = gflops;
    }
    printf("peak %.1f\n", best);
    return 0;
}
