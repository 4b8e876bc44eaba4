#pragma once

#include <QLoggingCategory>

// opsdeck-agent's logging category ("opsdeck.agent"); it logs to stderr, never its token.
Q_DECLARE_LOGGING_CATEGORY(lcAgent)
