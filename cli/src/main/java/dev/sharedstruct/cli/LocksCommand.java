package dev.sharedstruct.cli;

import dev.sharedstruct.LockState;
import dev.sharedstruct.RegionInspector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code locks REGION}: every lock cell, read (never acquired). */
@Command(name = "locks", description = "Lists every lock cell: owner, whether its process is alive, holds, waiters, recoveries.")
final class LocksCommand extends InspectCommand {
    LocksCommand() {
        super(LocksCommand::json, LocksCommand::text);
    }

    static Map<String, Object> json(RegionInspector inspector) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("region", inspector.path().toString());
        json.put("locks", inspector.locks().stream().map(Render::lockJson).toList());
        return json;
    }

    static List<String> text(RegionInspector inspector) {
        List<List<String>> rows = new ArrayList<>();
        for (LockState lock : inspector.locks()) {
            rows.add(List.of(Long.toString(lock.offset()), lock.held() ? Long.toString(lock.ownerPid()) : "-",
                    lock.held() ? Long.toString(lock.ownerThread()) : "-", lock.held() ? lock.owner().label() : "free",
                    Integer.toString(lock.holds()), Integer.toString(lock.waiters()), Integer.toString(lock.recoveries()), lock.usedBy()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(inspector.path() + ": " + rows.size() + " lock cells (read, not acquired)");
        lines.addAll(Render.table(List.of("OFFSET", "PID", "THREAD", "OWNER", "HOLDS", "WAITERS", "RECOVERIES", "GUARDS"), rows));
        return lines;
    }
}
