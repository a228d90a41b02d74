#pragma once

// The global "no animations" switch: screenshots and deterministic tests turn it off so the same
// scenario paints the same pixels. Widgets that animate check it before starting their timers and
// paint a fixed frame when it is off.
class AnimationPolicy final
{
public:
    AnimationPolicy() = delete;
    static bool enabled();
    static void setEnabled(bool on);
};
