/* Commands not written yet in this session's order of work. */
#include <stdio.h>
#include "cli.h"
int cmd_build(int argc, char **argv) { (void)argc; (void)argv; fputs("not yet\n", stderr); return 2; }
int cmd_dump(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_templates(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_serve(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_publish(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_verify(int argc, char **argv) { (void)argc; (void)argv; return 2; }
