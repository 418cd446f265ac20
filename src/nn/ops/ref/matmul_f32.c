#include "nn/ops/mf_kernels.h"

void mf_matmul_f32(const float *a, const float *b, int32_t batch, int32_t m, int32_t k, int32_t n, int transpose_a,
                   int transpose_b, float alpha, float *output)
{
    for (int32_t bi = 0; bi < batch; bi++) {
        const float *A = a + (size_t)bi * m * k, *B = b + (size_t)bi * k * n;
        float *C = output + (size_t)bi * m * n;
        for (int32_t i = 0; i < m; i++)
            for (int32_t j = 0; j < n; j++) {
                float acc = 0.0f;
                for (int32_t t = 0; t < k; t++) {
                    float av = transpose_a ? A[(size_t)t * m + i] : A[(size_t)i * k + t];
                    float bv = transpose_b ? B[(size_t)j * k + t] : B[(size_t)t * n + j];
                    acc += av * bv;
                }
                C[(size_t)i * n + j] = alpha * acc;
            }
    }
}
