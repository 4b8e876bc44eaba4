#pragma once

#include <QLoggingCategory>

// The hub server's logging category ("opsdeck.hub.server").
Q_DECLARE_LOGGING_CATEGORY(lcHub)
