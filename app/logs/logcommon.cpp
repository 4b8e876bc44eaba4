#include "logcommon.h"

Q_LOGGING_CATEGORY(lcLogs, "opsdeck.app.logs")
