/* Commands not written yet in this session's order of work. */
#include <stdio.h>
#include "cli.h"
