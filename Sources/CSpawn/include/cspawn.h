#ifndef ORCH_CSPAWN_H
#define ORCH_CSPAWN_H
/* fork/exec for orch: the only code that runs between fork and exec. */
#endif
