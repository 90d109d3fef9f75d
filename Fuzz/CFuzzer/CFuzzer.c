// Intentionally empty: SwiftPM needs one source file for a C target; the module is only CFuzzer.h.
#include "CFuzzer.h"
