#include "animationpolicy.h"

#include <atomic>

namespace {
std::atomic<bool> g_animations { true };
} // namespace

bool AnimationPolicy::enabled()
{
    return g_animations.load(std::memory_order_relaxed);
}

void AnimationPolicy::setEnabled(bool on)
{
    g_animations.store(on, std::memory_order_relaxed);
}
