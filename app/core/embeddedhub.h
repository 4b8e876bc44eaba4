#pragma once

// The hub inside the desktop app (DESIGN.md §1): the same HubServer as opsdeck-hub, on its own
// QThread, bound to 127.0.0.1 on a free port, demanding a secret made fresh for this launch.
// The secret never leaves memory: it is handed to the app's HubClient, never written anywhere.

#include <QByteArray>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>

namespace opsdeck::app {

class HubHost;

struct EmbeddedHubOptions
{
    bool demoFleet = true;
    quint32 seed = 0; // 0: random
};

class EmbeddedHub : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedHub(QObject *parent = nullptr);
    ~EmbeddedHub() override;

    // Starts the hub thread and waits until the hub listens. False (see errorString()) if it
    // could not bind.
    bool start(const EmbeddedHubOptions &options = {});
    // Drains the hub's clients (1001), stops its thread and waits for it.
    void stop();

    bool isRunning() const { return m_thread.isRunning(); }
    QUrl url() const { return m_url; }
    QByteArray secret() const { return m_secret; }
    QString errorString() const { return m_error; }

    static QByteArray makeSecret();

private:
    QThread m_thread;
    HubHost *m_host = nullptr; // lives in m_thread
    QUrl m_url;
    QByteArray m_secret;
    QString m_error;
};

} // namespace opsdeck::app
