// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.codegen.MapSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suites run over what the generator emits, and cover all of it: the types OffHeapMap permits are the
 * generator's specs (MapSpec.ALL), the suites' implementations are those types, and for each the adapter
 * calls every public method of the type, its cursor and its builder, so a new overload (a new key form)
 * cannot go untested.
 */
class TypeListTest {

    @Test
    void theSuitesRunOverExactlyTheGeneratedTypes() {
        List<String> specs = MapSpec.ALL.stream().map(MapSpec::name).sorted().toList();
        List<String> permitted = Arrays.stream(OffHeapMap.class.getPermittedSubclasses()).map(Class::getSimpleName).sorted().toList();
        assertEquals(specs, permitted, "OffHeapMap permits the generator's types (MapSpec.ALL)");
        assertEquals(specs, MapImpls.ALL.stream().map(Impl::name).distinct().sorted().toList(), "the suites run over every type");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void theAdapterCallsEveryMethodOfTheApi(Impl impl) {
        MapImpls.Api api = impl.api;
        Class<?> builder = MapImpls.method(api.type, "builder").getReturnType();
        List<String> missed = new ArrayList<>();
        for (Method m : Stream.of(api.type, api.cursorType, builder).flatMap(c -> Arrays.stream(c.getMethods())).toList()) {
            boolean elsewhere = m.getDeclaringClass() == Object.class || m.getDeclaringClass() == OffHeapMap.class
                    || m.getDeclaringClass() == AutoCloseable.class || Modifier.isStatic(m.getModifiers()) && !m.getName().equals("builder");
            if (!elsewhere && !api.used.contains(m)) missed.add(m.toString());
        }
        assertTrue(missed.isEmpty(), impl + ": methods no suite calls (add a KeyForm or an Op for them): " + missed);
    }
}
