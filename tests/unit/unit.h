/* unit.h — a small header-only test framework for sinew's C unit tests.
 *
 * A test file defines test functions with TEST(name) { ... } and lists them
 * in main with RUN(name). Each check that fails prints
 *   FAIL name: file:line: what
 * and marks the test failed; a test that finishes clean prints PASS name.
 * UNIT_END() returns the process status (1 if anything failed). tests/run.sh
 * counts the PASS and FAIL lines.
 */
#ifndef SINEW_UNIT_H
#define SINEW_UNIT_H

#include <stdio.h>
#include <string.h>

typedef struct unit_state {
    const char *test;
    int failed_checks;
    int passed, failed;
} unit_state;

static unit_state unit_;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                           \
    do {                                                                    \
        unit_.test = #name;                                                 \
        unit_.failed_checks = 0;                                            \
        test_##name();                                                      \
        if (unit_.failed_checks == 0) {                                     \
            printf("PASS %s\n", #name);                                     \
            unit_.passed++;                                                 \
        } else {                                                            \
            unit_.failed++;                                                 \
        }                                                                   \
        fflush(stdout);                                                     \
    } while (0)

#define UNIT_FAIL(...)                                                      \
    do {                                                                    \
        printf("FAIL %s: %s:%d: ", unit_.test, __FILE__, __LINE__);         \
        printf(__VA_ARGS__);                                                \
        printf("\n");                                                       \
        unit_.failed_checks++;                                              \
    } while (0)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            UNIT_FAIL("%s", #cond);                                         \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                  \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_)                                                       \
            UNIT_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);            \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                              \
            UNIT_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", \
                      b_ ? b_ : "(null)");                                  \
    } while (0)

#define UNIT_END() (unit_.failed ? 1 : 0)

#endif
