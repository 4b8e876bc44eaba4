#pragma once

// Turns SIGINT/SIGTERM (console Ctrl+C on Windows) into a Qt signal, so the hub can drain its
// clients from the event loop instead of dying inside a signal handler.

#include <QObject>

class QSocketNotifier;

namespace opsdeck::hub {

class ShutdownSignals : public QObject
{
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

Q_SIGNALS:
    void shutdownRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace opsdeck::hub
