// libFuzzer's entry for programs that keep their own `main` (compiler-rt FuzzerInterface.h).
// SwiftPM links every executable with `--defsym main=<Module>_main`, so the fuzz targets define that
// symbol and hand control to libFuzzer through this function instead of relying on libFuzzer's `main`.
#ifndef CFUZZER_H
#define CFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
