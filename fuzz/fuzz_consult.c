/* fuzz_consult.c — libFuzzer harness for a consultation's answers.
 *
 * Each input is the answers, one a line, to a consultation on the shipped
 * knowledge base (`consult` in the REPL), with what the consultation
 * understands besides an answer: why, unknown, back, whatif, more, save
 * (into the harness's scratch folder), quit. Built from fuzz_repl.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_repl_feed(const char *text, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 9);
    if (!text)
        return 0;
    memcpy(text, "consult\n", 8);
    memcpy(text + 8, data, size);
    fuzz_repl_feed(text, size + 8);
    free(text);
    return 0;
}
