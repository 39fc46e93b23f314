using System.Globalization;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>
/// Resident memory of a server: VmRSS from /proc/PID/status, and Pss (proportional set size) from smaps_rollup,
/// summed over the process and all its descendants. For a multi-process server such as Dovecot the RSS sum counts
/// shared libraries and copy-on-write pages once per process; the PSS sum divides them among the sharers, so it
/// is the honest total. For a single process the two are nearly equal.
/// </summary>
internal readonly record struct Memory(long RssBytes, long PssBytes, int Processes)
{
    public static Memory OfTree(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is { } parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        long rss = 0, pss = 0;
        var count = 0;
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            rss += KibField($"/proc/{pid}/status", "VmRSS:");
            pss += KibField($"/proc/{pid}/smaps_rollup", "Pss:");
            count++;
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return new Memory(rss * 1024, pss * 1024, count);
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // exited while we looked
        }
    }

    private static long KibField(string path, string name)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
