#include "app/core/duration.h"

#include <QString>

#include <algorithm>
#include <limits>

std::optional<std::chrono::milliseconds> parseDuration(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 unitMs = 3'600'000; // a number alone counts hours
    if (const QChar unit = text.back().toLower(); !unit.isDigit()) {
        switch (unit.unicode()) {
        case u's':
            unitMs = 1'000;
            break;
        case u'm':
            unitMs = 60'000;
            break;
        case u'h':
            unitMs = 3'600'000;
            break;
        case u'd':
            unitMs = 86'400'000;
            break;
        default:
            return std::nullopt;
        }
        text.chop(1);
    }
    // Digits only: no sign, no fraction, no spaces, no second unit.
    if (text.isEmpty() || text.size() > 18
        || !std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    const qint64 count = text.toString().toLongLong(); // QStringView::toLongLong: Qt 6.6+
    if (count > std::numeric_limits<qint64>::max() / unitMs)
        return std::nullopt;
    return std::chrono::milliseconds(count * unitMs);
}
