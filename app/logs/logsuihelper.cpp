#include "logsuihelper.h"

#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QStandardPaths>
#include <QVariantMap>

#include <algorithm>
#include <vector>

namespace opsdeck::logs {

LogsUiHelper::LogsUiHelper(QObject *parent)
    : QObject(parent)
{
}

QString LogsUiHelper::highlight(const QString &text, const QVariantList &ranges, const QString &background,
                                const QString &foreground, int limit)
{
    const qsizetype end = limit < 0 ? text.size() : std::min<qsizetype>(text.size(), limit);
    std::vector<std::pair<qsizetype, qsizetype>> marks;
    marks.reserve(std::size_t(ranges.size()));
    for (const QVariant &range : ranges) {
        const QVariantMap map = range.toMap();
        const qsizetype start = map.value(QStringLiteral("start")).toLongLong();
        const qsizetype length = map.value(QStringLiteral("length")).toLongLong();
        if (length > 0 && start < end)
            marks.emplace_back(start, std::min(start + length, end));
    }
    std::sort(marks.begin(), marks.end());

    const QStringView all(text);
    QString html = QStringLiteral("<span style=\"white-space:pre\">");
    html.reserve(end + qsizetype(marks.size()) * 80 + 64);
    qsizetype at = 0;
    const auto plain = [&](qsizetype to) {
        if (to > at)
            html += all.mid(at, to - at).toString().toHtmlEscaped();
        at = std::max(at, to);
    };
    for (const auto &[start, stop] : marks) {
        if (stop <= at)
            continue;
        plain(start);
        html += QStringLiteral("<span style=\"background-color:%1;color:%2\">").arg(background, foreground);
        html += all.mid(at, stop - at).toString().toHtmlEscaped();
        html += QStringLiteral("</span>");
        at = stop;
    }
    plain(end);
    html += QStringLiteral("</span>");
    html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return html;
}

void LogsUiHelper::copyText(const QString &text)
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QString LogsUiHelper::clipboardText()
{
    const QClipboard *clipboard = QGuiApplication::clipboard();
    return clipboard ? clipboard->text() : QString();
}

QString LogsUiHelper::localPath(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

QString LogsUiHelper::fileName(const QString &path)
{
    return QFileInfo(path).fileName();
}

QUrl LogsUiHelper::exportUrl(bool ndjson)
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QDir(folder).exists())
        folder = QDir::homePath();
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    return QUrl::fromLocalFile(QDir(folder).filePath(
        QStringLiteral("opsdeck-logs-%1.%2").arg(stamp, ndjson ? QStringLiteral("ndjson") : QStringLiteral("log"))));
}

QString LogsUiHelper::number(qint64 n)
{
    QLocale locale;
    if (locale.language() == QLocale::C) // a bare environment (CI, xvfb): still group digits
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions({});
    return locale.toString(n);
}

} // namespace opsdeck::logs
