# prng.awk — a seeded generator that gives the same numbers under every awk
# (mawk, gawk, busybox): the Park–Miller "minimal standard" generator,
# x' = 16807 x mod (2^31 - 1). Every product is below 2^53, so it is exact
# in awk's doubles; awk's own rand() differs from one awk to another.
function prng_seed(s) {
    _prng_x = s % 2147483647
    if (_prng_x <= 0) _prng_x += 2147483646
    # warm up: small seeds give small first values
    prng_next(); prng_next(); prng_next()
}
function prng_next() {
    _prng_x = (16807 * _prng_x) % 2147483647
    return _prng_x
}
# prng_int(n): an integer from 0 to n - 1
function prng_int(n) {
    return int(prng_next() / 2147483647 * n)
}
