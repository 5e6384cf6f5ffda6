/*
 * Reference values for test/rrelu.test.ts: RReLU's generator (src/modules/xoshiro.ts) written
 * independently in C. next() is xoshiro128+ 1.0 as published by Blackman and Vigna
 * (prng.di.unimi.it/xoshiro128plus.c, public domain); seed() is the module's splitmix32 seeding.
 * Prints, for three seeds, the state and the top 24 bits of draws 0-5 and 1000-1005.
 * Build and run: gcc -O2 scripts/xoshiro-reference.c -o /tmp/xoshiro-reference && /tmp/xoshiro-reference
 */
#include <stdint.h>
#include <stdio.h>
static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t s[4];
uint32_t next(void) { const uint32_t result = s[0] + s[3]; const uint32_t t = s[1] << 9; s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11); return result; }
void seed(uint64_t v) { uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32); uint32_t a = lo ^ (hi * 0x9e3779b9u);
  for (int k = 0; k < 4; k++) { a += 0x9e3779b9u; uint32_t t = a ^ (a >> 16); t *= 0x21f0aaadu; t ^= t >> 15; t *= 0x735a2d97u; s[k] = t ^ (t >> 15); } }
int main(void) { uint64_t seeds[3] = {0, 42, (1ull << 40) + 7};
  for (int j = 0; j < 3; j++) { seed(seeds[j]); printf("seed %llu state %u %u %u %u\nfirst:", (unsigned long long)seeds[j], s[0], s[1], s[2], s[3]);
    for (int i = 0; i < 6; i++) printf(" %u", next() >> 8); for (int i = 6; i < 1000; i++) next(); printf("\nat 1000:"); for (int i = 0; i < 6; i++) printf(" %u", next() >> 8); printf("\n"); } }
