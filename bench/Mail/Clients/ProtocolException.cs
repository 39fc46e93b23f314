namespace Mailstead.Bench.Mail.Clients;

/// <summary>A server answered with an error where the workload expects success: the run of that workload stops.</summary>
internal sealed class ProtocolException(string message) : Exception(message);
