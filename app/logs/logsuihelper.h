#pragma once

// LogsUi: small services the Logs pane's QML needs and QML does not have — match highlighting
// as rich text, the clipboard, and file URLs as local paths.

#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqml.h>

namespace opsdeck::logs {

class LogsUiHelper : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(LogsUi)
    QML_SINGLETON

public:
    explicit LogsUiHelper(QObject *parent = nullptr);

    // `text` (the first `limit` UTF-16 units of it; all of it when limit < 0) as rich text with
    // every range of `ranges` ([{start, length}, …] as LogModel's matchRanges role gives them)
    // on a `background` mark. Whitespace is kept (pre) so columns in a message stay aligned.
    Q_INVOKABLE static QString highlight(const QString &text, const QVariantList &ranges, const QString &background,
                                         const QString &foreground, int limit = -1);
    Q_INVOKABLE static void copyText(const QString &text);
    Q_INVOKABLE static QString clipboardText();
    Q_INVOKABLE static QString localPath(const QUrl &url);
    Q_INVOKABLE static QString fileName(const QString &path);
    // A default file name for an export: opsdeck-logs-<utc stamp>.<log|ndjson>, in the home folder.
    Q_INVOKABLE static QUrl exportUrl(bool ndjson);
    // 1234567 → "1,234,567" in the user's locale.
    Q_INVOKABLE static QString number(qint64 n);
};

} // namespace opsdeck::logs
