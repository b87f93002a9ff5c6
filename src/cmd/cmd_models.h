/* cmd_models.h -- the gallery of real models: `models' lists the
   position facts of well-known models shipped as trimmed config.json
   files, `model NAME' loads one of them into the session.  */
#ifndef POSENC_CMD_MODELS_H
#define POSENC_CMD_MODELS_H

#include "cmd/command.h"

/* The settings `models view=wavelengths' reads from each model's scratch
   session (its settings list in the command table).  */
extern const char *const models_settings[];
/* `models' keys: view=list|wavelengths.  */
extern const struct param_spec models_params[];
/* `model' operand: the model's name or a unique prefix of it.  */
extern const struct param_spec model_operands;

int cmd_models (struct ctx *ctx);
int cmd_model (struct ctx *ctx);

/* The directory holding the gallery's NAME.json files: $POSENC_DATADIR/
   models when POSENC_DATADIR is set, else the installed one when it
   exists, else the source tree's examples/models (a build that was not
   installed).  The string is static or from the environment.  */
const char *models_dir (void);

#endif
