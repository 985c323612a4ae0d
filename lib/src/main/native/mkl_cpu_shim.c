/*
 * plm4j's MKL dispatch shim, preloaded (LD_PRELOAD) into JVMs that run libtorch.
 *
 * The libtorch that DJL loads links oneMKL statically and exports MKL's CPU-vendor checks. On a
 * non-Intel CPU they answer "no", and oneMKL then runs its generic x86-64 kernels whatever the CPU
 * supports (MKL_VERBOSE prints "Intel(R) Architecture processors"; MKL_ENABLE_INSTRUCTIONS and
 * MKL_CBWR do not change it). These two definitions come first in symbol lookup, so oneMKL picks
 * its kernels from the instruction sets the CPU reports (cpuid), as it does on Intel CPUs
 * (MKL_VERBOSE then names the AVX-512 path on a CPU that has it).
 *
 * Built by ./plm4j (cc -shared -fPIC); PLM4J_MKL_SHIM=off leaves it out.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_intel_cpu(void) { return 1; }
