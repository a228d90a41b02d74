#pragma once

#include <QKeySequence>
#include <QStyle>

class QAction;
class QObject;
class QWidget;

// A window action as Headway makes them all: the theme's icon (the style's as a fallback), an
// object name (tests and screenshots find actions by it) and a tooltip that names the shortcut.
QAction *makeAction(QWidget *styleSource, QObject *parent, const QString &text, const QString &name,
                    const QKeySequence &key, QStyle::StandardPixmap icon, const QString &themeIcon);
