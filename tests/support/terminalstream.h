#pragma once

// The output stream of one terminal (docs/protocol.md §11) as a test client sees it: the bytes
// in order, each chunk's `seq` checked against the byte count so far (a hole or a repeat is a
// problem), `ready` and `exit` noted, and — with a window — acknowledged in quarter-window steps
// as a console would.

#include "testclient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace opsdeck::testing {

struct TerminalStream
{
    TestClient &client;
    QString terminal;
    qint64 window = 0; // 0: never acknowledge
    qsizetype scanned = 0;
    QByteArray bytes;
    qint64 nextSeq = -1;
    QString problem;
    qint64 unacked = 0;
    qint64 maxUnacked = 0;
    QList<QJsonObject> exits;
    bool ready = false;
    // Replayed chunks (after an attach) that start before nextSeq are skipped up to it, as the
    // console does; false: every chunk must continue the stream exactly.
    bool skipReplayed = false;

    // Takes in what arrived since the last call.
    void pump();
    bool waitUntil(const std::function<bool()> &done, int timeoutMs = 60000);
    bool waitForText(const QByteArray &text, int timeoutMs = 60000);
};

} // namespace opsdeck::testing
