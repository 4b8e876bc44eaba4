#include "windowscommandline.h"

#include <QDir>
#include <algorithm>

namespace opsdeck::terminal::windows {

QString quoteArgument(const QString &argument)
{
    if (!argument.isEmpty() && !argument.contains(u' ') && !argument.contains(u'\t')
        && !argument.contains(u'"'))
        return argument;
    QString quoted(1, u'"');
    qsizetype backslashes = 0;
    for (const QChar c : argument) {
        if (c == u'\\') {
            ++backslashes;
            continue;
        }
        // Before a quote, each backslash is doubled and the quote escaped; elsewhere they stay.
        quoted += QString(c == u'"' ? backslashes * 2 + 1 : backslashes, u'\\');
        quoted += c;
        backslashes = 0;
    }
    quoted += QString(backslashes * 2, u'\\'); // doubled: the closing quote follows
    quoted += u'"';
    return quoted;
}

QString commandLine(const QString &program, const QStringList &arguments)
{
    QString line = u'"' + QDir::toNativeSeparators(program) + u'"';
    for (const QString &argument : arguments)
        line += u' ' + quoteArgument(argument);
    return line;
}

QString environmentBlock(QStringList environment)
{
    const auto nameOf = [](const QString &entry) {
        const qsizetype equals = entry.indexOf(u'=', 1); // "=C:=C:\dir": the name is "=C:"
        return equals < 0 ? entry : entry.left(equals);
    };
    std::stable_sort(environment.begin(), environment.end(), [&](const QString &a, const QString &b) {
        return nameOf(a).compare(nameOf(b), Qt::CaseInsensitive) < 0;
    });
    QString block;
    for (const QString &entry : environment) {
        if (entry.isEmpty() || entry.contains(QChar(0)))
            continue;
        block += entry;
        block += QChar(0);
    }
    if (block.isEmpty())
        block += QChar(0); // an empty block is still two NULs
    block += QChar(0);
    return block;
}

} // namespace opsdeck::terminal::windows
