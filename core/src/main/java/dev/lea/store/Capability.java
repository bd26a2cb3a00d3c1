package dev.lea.store;

/** What a store can guarantee; callers ask instead of checking implementation types. */
public enum Capability {
  /** {@link Condition#ifAbsent()} on put is checked and applied atomically. */
  ATOMIC_IF_ABSENT,
  /** {@link Condition#ifMatch(String)} on put is checked and applied atomically. */
  ATOMIC_IF_MATCH,
  /** {@link Condition#ifMatch(String)} on delete is supported (atomically). */
  CONDITIONAL_DELETE,
  /** {@link ObjectStore#read(String, String)} answers "not modified" for an unchanged version. */
  CONDITIONAL_GET,
  /** Objects can be listed by prefix. */
  LIST
}
