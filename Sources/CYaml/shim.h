#ifndef ORCH_CYAML_SHIM_H
#define ORCH_CYAML_SHIM_H
#include <yaml.h>
#endif
