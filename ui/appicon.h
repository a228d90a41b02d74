#pragma once

#include <QIcon>

// The Headway icon, drawn in code so it is crisp at every size: a ring, optionally filled to a
// percentage (the tray and window icons show the overall progress that way).
class AppIcon final
{
public:
    AppIcon() = delete;
    // percent < 0: the plain icon.
    static QIcon icon(double percent = -1);
    static QPixmap pixmap(int size, double percent = -1);
};
