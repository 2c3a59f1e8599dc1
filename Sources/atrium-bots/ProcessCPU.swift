import AtriumNet
import Glibc

/// This process's own CPU time and the cores it may run on, so that a run can say
/// whether the load generator, not the server, set its pace.
enum ProcessCPU {
    /// User plus system CPU seconds used so far.
    static var seconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Cores in the process's affinity mask (`taskset -c 1` gives 1).
    static var cores: Int { IOQueueGroup.usableProcessors }
}
