// The target's functions are inline in include/CPlatform.h; SwiftPM needs a source file.
#include "CPlatform.h"
