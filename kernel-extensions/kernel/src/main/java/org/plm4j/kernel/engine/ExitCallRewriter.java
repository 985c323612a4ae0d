package org.plm4j.kernel.engine;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the bytecode of a snippet class so that calls of {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} (direct calls and method references such as {@code System::exit}) call
 * {@link ExitGuard} instead, which throws {@link CellExitError}.
 *
 * <p>Why rewriting: the JDK's hook for vetoing exits, {@code SecurityManager.checkExit}, is deprecated for
 * removal since Java 17 (JEP 411) and cannot be installed at all from JDK 24 on; a shutdown hook cannot veto
 * an exit, and {@code Runtime.halt} bypasses hooks anyway. The kernel defines every snippet class itself
 * ({@link CellExecutionControl#load}), so it can change their calls before the class exists. This covers
 * code written in cells: snippets, classes and lambdas they declare, and threads started with them. It does
 * not cover library code a cell calls, nor a call made by reflection. The JDK 17 class library has no
 * bytecode API (the ClassFile API arrived in JDK 24), hence ASM.
 */
final class ExitCallRewriter {

    private static final String GUARD = ExitGuard.class.getName().replace('.', '/');
    private static final String SYSTEM_EXIT_DESC = "(I)V";
    private static final String GUARD_RUNTIME_DESC = "(Ljava/lang/Runtime;I)V";

    private ExitCallRewriter() {
    }

    /** The class with its exit calls redirected, or {@code bytecode} itself when it makes none. */
    static byte[] rewrite(byte[] bytecode) {
        ClassReader reader = new ClassReader(bytecode);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        String target = guardMethod(opcode, owner, name, descriptor);
                        if (target != null) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, target,
                                    opcode == Opcodes.INVOKESTATIC ? SYSTEM_EXIT_DESC : GUARD_RUNTIME_DESC, false);
                        } else {
                            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
                        Object[] replaced = args.clone();
                        for (int i = 0; i < replaced.length; i++) {
                            replaced[i] = replaceHandle(replaced[i], changed);
                        }
                        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, replaced);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        super.visitLdcInsn(replaceHandle(value, changed));
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : bytecode;
    }

    private static Object replaceHandle(Object constant, boolean[] changed) {
        if (!(constant instanceof Handle h)) {
            return constant;
        }
        int opcode = h.getTag() == Opcodes.H_INVOKESTATIC ? Opcodes.INVOKESTATIC
                : h.getTag() == Opcodes.H_INVOKEVIRTUAL ? Opcodes.INVOKEVIRTUAL : -1;
        String target = guardMethod(opcode, h.getOwner(), h.getName(), h.getDesc());
        if (target == null) {
            return constant;
        }
        changed[0] = true;
        return new Handle(Opcodes.H_INVOKESTATIC, GUARD, target,
                opcode == Opcodes.INVOKESTATIC ? SYSTEM_EXIT_DESC : GUARD_RUNTIME_DESC, false);
    }

    /** The {@link ExitGuard} method replacing this call, or null when the call is not an exit. */
    private static String guardMethod(int opcode, String owner, String name, String descriptor) {
        if (!SYSTEM_EXIT_DESC.equals(descriptor)) {
            return null;
        }
        if (opcode == Opcodes.INVOKESTATIC && "java/lang/System".equals(owner) && "exit".equals(name)) {
            return "systemExit";
        }
        if (opcode == Opcodes.INVOKEVIRTUAL && "java/lang/Runtime".equals(owner)) {
            return "exit".equals(name) ? "runtimeExit" : "halt".equals(name) ? "runtimeHalt" : null;
        }
        return null;
    }
}
