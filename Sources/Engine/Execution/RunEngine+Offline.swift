public import Foundation

extension RunEngine {
    /// When the engine's next timer is due (a delay, a retry back-off, a wait or run deadline), or nil when no
    /// timer is pending. `triggerctl test` moves its manual clock to it once a run has nothing else to do.
    public var nextTimerDue: Date? { self.timers.earliest?.at }
}
