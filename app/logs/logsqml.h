#pragma once

// The Logs pane's C++ core as QML sees it: the core library stays free of QtQml, these
// declarations register its types with the Opsdeck.Logs module.

#include "logexporter.h"
#include "logfileloader.h"
#include "logmodel.h"

#include <QObject>
#include <QtQml/qqml.h>

namespace opsdeck::logs {

struct LogModelForeign
{
    Q_GADGET
    QML_FOREIGN(opsdeck::logs::LogModel)
    QML_NAMED_ELEMENT(LogModel)
};

struct LogFileLoaderForeign
{
    Q_GADGET
    QML_FOREIGN(opsdeck::logs::LogFileLoader)
    QML_NAMED_ELEMENT(LogFileLoader)
};

struct LogExporterForeign
{
    Q_GADGET
    QML_FOREIGN(opsdeck::logs::LogExporter)
    QML_NAMED_ELEMENT(LogExporter)
};

} // namespace opsdeck::logs
