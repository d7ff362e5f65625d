// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The release check: what the engine's build packs is what a library should publish. It reads the built
 * jars (so it runs after {@code package}, under failsafe in {@code integration-test}) and checks that
 * <ul>
 *   <li>the module descriptor exports only {@code dev.hmap}, opens nothing, and needs nothing but
 *       {@code requires static chronicle.bytes};</li>
 *   <li>the jar holds no test class or test resource, and carries LICENSE and NOTICE;</li>
 *   <li>no public signature of the exported package (supertypes, fields, constructors, methods, their type
 *       arguments and exceptions) names a type of {@code dev.hmap.internal};</li>
 *   <li>the published POM makes every dependency optional (Chronicle Bytes), and the published POMs carry
 *       the metadata Maven Central requires;</li>
 *   <li>every source in the sources jar has its SPDX line, and the Javadoc jar documents only {@code dev.hmap}.</li>
 * </ul>
 * Run it alone with {@code ./mvnw -B verify -pl codegen,engine -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ReleaseArtifactsIT {
    static final String INTERNAL = "dev.hmap.internal";
    static final String SPDX = "// SPDX-License-Identifier: Apache-2.0";

    static Path jar, sourcesJar, javadocJar, testClasses;

    @BeforeAll
    static void artifacts() {
        jar = artifact("hmap.jar");
        sourcesJar = artifact("hmap.sourcesJar");
        javadocJar = artifact("hmap.javadocJar");
        testClasses = artifact("hmap.testClasses");
    }

    private static Path artifact(String property) {
        String p = System.getProperty(property);
        assertNotNull(p, "the build passes -D" + property + " (engine/pom.xml, failsafe)");
        assertTrue(Files.exists(Path.of(p)), p + " is built before this check runs");
        return Path.of(p);
    }

    @Test
    void theModuleExportsOnlyTheApiAndRequiresChronicleStatically() {
        ModuleDescriptor d = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        assertEquals("dev.hmap", d.name());
        assertEquals(Set.of("dev.hmap"), d.exports().stream().map(Object::toString).collect(Collectors.toSet()),
                "exports (a qualified one would read 'package to [modules]')");
        assertTrue(d.opens().isEmpty() && !d.isOpen(), "no package is open to reflection: " + d.opens());
        Set<String> requires = new TreeSet<>();
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.MANDATED)) requires.add(r.toString());
        }
        assertEquals(Set.of("static chronicle.bytes"), requires,
                "hmap needs no module at run time; Chronicle Bytes is optional (requires static)");
    }

    @Test
    void theJarHoldsNoTestFileAndCarriesTheLicense() throws Exception {
        Set<String> testFiles = new TreeSet<>();
        try (Stream<Path> s = Files.walk(testClasses)) {
            s.filter(Files::isRegularFile).forEach(f -> testFiles.add(testClasses.relativize(f).toString()
                    .replace(File.separatorChar, '/')));
        }
        assertTrue(testFiles.contains("dev/hmap/ReleaseArtifactsIT.class"),
                "the test classes are where the build said: " + testClasses);
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> leaked = j.stream().map(ZipEntry::getName).filter(testFiles::contains).toList();
            assertEquals(List.of(), leaked, "test classes or resources in the published jar");
            assertNotNull(j.getEntry("META-INF/LICENSE"), "META-INF/LICENSE");
            assertNotNull(j.getEntry("META-INF/NOTICE"), "META-INF/NOTICE");
            assertEquals("ALL-UNNAMED", j.getManifest().getMainAttributes().getValue("Enable-Native-Access"),
                    "the manifest lets java -jar apps that bundle hmap use the FFM linker without a warning");
        }
    }

    @Test
    void noPublicSignatureOfTheApiNamesAnInternalType() throws Exception {
        try (URLClassLoader loader = isolatedLoader(); JarFile j = new JarFile(jar.toFile())) {
            List<Class<?>> api = new ArrayList<>();
            for (String name : j.stream().map(ZipEntry::getName).filter(n -> n.matches("dev/hmap/[^/$]+\\.class"))
                    .filter(n -> !n.endsWith("-info.class")).toList()) {
                Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""), false, loader);
                if (Modifier.isPublic(c.getModifiers())) addWithMemberTypes(c, api);
            }
            assertTrue(api.size() > 40, "the exported classes were found: " + api);
            assertSame(loader, api.getFirst().getClassLoader(), "the classes checked are the jar's");
            List<String> leaks = new ArrayList<>();
            for (Class<?> c : api) leaks.addAll(internalTypesIn(c));
            assertEquals(List.of(), leaks, "the public API of dev.hmap names types of " + INTERNAL);

            // Not vacuous: the package-private implementations do extend internal classes.
            assertFalse(internalTypesIn(Class.forName("dev.hmap.LongLongMapImpl", false, loader)).isEmpty(),
                    "the check finds an internal supertype where there is one");
        }
    }

    /** The jar's classes with the dependencies they link against (Chronicle), and nothing of this build's. */
    private static URLClassLoader isolatedLoader() throws Exception {
        List<URL> urls = new ArrayList<>(List.of(jar.toUri().toURL()));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (!p.startsWith(jar.toAbsolutePath().getParent())) urls.add(p.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static void addWithMemberTypes(Class<?> c, List<Class<?>> out) {
        out.add(c);
        for (Class<?> m : c.getDeclaredClasses()) {
            if (visible(m.getModifiers())) addWithMemberTypes(m, out);
        }
    }

    /** Each public or protected signature of {@code c} that names an internal type, as "where: type". */
    static List<String> internalTypesIn(Class<?> c) {
        Map<String, List<Type>> signatures = new LinkedHashMap<>();
        List<Type> supertypes = new ArrayList<>(List.of(c.getGenericInterfaces()));
        if (c.getGenericSuperclass() != null) supertypes.add(c.getGenericSuperclass());
        supertypes.addAll(List.of(c.getTypeParameters()));
        signatures.put(c.getName(), supertypes);
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers())) signatures.put(c.getName() + "." + f.getName(), List.of(f.getGenericType()));
        }
        List<Executable> executables = new ArrayList<>(List.of(c.getDeclaredConstructors()));
        executables.addAll(List.of(c.getDeclaredMethods()));
        executables.addAll(List.of(c.getMethods())); // inherited ones too
        for (Executable e : executables) {
            if (!visible(e.getModifiers())) continue;
            List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
            types.addAll(List.of(e.getGenericExceptionTypes()));
            types.addAll(List.of(e.getTypeParameters()));
            if (e instanceof Method m) types.add(m.getGenericReturnType());
            signatures.put(e.toGenericString(), types);
        }
        List<String> leaks = new ArrayList<>();
        signatures.forEach((where, types) -> {
            Set<Class<?>> named = new LinkedHashSet<>();
            for (Type t : types) collect(t, named, new HashSet<>());
            for (Class<?> n : named) if (n.getPackageName().startsWith(INTERNAL)) leaks.add(where + ": " + n.getName());
        });
        return leaks;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class a type names: itself, its type arguments, bounds, owners and array components. */
    private static void collect(Type t, Set<Class<?>> out, Set<TypeVariable<?>> seen) {
        switch (t) {
            case Class<?> c when c.isArray() -> collect(c.getComponentType(), out, seen);
            case Class<?> c -> out.add(c);
            case ParameterizedType p -> {
                collect(p.getRawType(), out, seen);
                if (p.getOwnerType() != null) collect(p.getOwnerType(), out, seen);
                for (Type a : p.getActualTypeArguments()) collect(a, out, seen);
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) collect(b, out, seen);
                for (Type b : w.getLowerBounds()) collect(b, out, seen);
            }
            case GenericArrayType g -> collect(g.getGenericComponentType(), out, seen);
            case TypeVariable<?> v -> {
                if (seen.add(v)) for (Type b : v.getBounds()) collect(b, out, seen);
            }
            default -> fail("unexpected kind of type " + t);
        }
    }

    @Test
    void thePublishedPomsMakeChronicleOptionalAndCarryCentralsMetadata() throws Exception {
        Element engine;
        try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(
                j.getEntry("META-INF/maven/dev.hmap/hmap/pom.xml"))) {
            engine = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        }
        List<String> runtime = new ArrayList<>();
        for (Element d : children(child(engine, "dependencies"), "dependency")) {
            if ("test".equals(text(d, "scope"))) continue;
            runtime.add(text(d, "artifactId"));
            assertEquals("true", text(d, "optional"), text(d, "artifactId") + " must be optional for hmap's users");
        }
        assertEquals(List.of("chronicle-bytes"), runtime, "the engine's non-test dependencies");

        // hmap-parent holds what its modules inherit; each published module names itself.
        Element parent = pom(Path.of("../pom.xml"));
        assertEquals("Apache-2.0", text(child(child(parent, "licenses"), "license"), "name"));
        assertFalse(text(parent, "url").isBlank(), "url");
        assertFalse(text(child(parent, "scm"), "connection").isBlank(), "scm");
        assertFalse(text(child(child(parent, "developers"), "developer"), "name").isBlank(), "developers");
        for (Element module : List.of(parent, engine, pom(Path.of("../codegen/pom.xml")))) {
            String id = text(module, "artifactId");
            assertFalse(text(module, "name").isBlank(), id + ": name");
            assertFalse(text(module, "description").isBlank(), id + ": description");
        }
    }

    private static Element pom(Path p) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
        return d.getDocumentElement();
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) out.add(c);
        }
        return out;
    }

    private static Element child(Element e, String name) {
        List<Element> c = children(e, name);
        assertEquals(1, c.size(), "<" + e.getTagName() + "> has one <" + name + ">");
        return c.getFirst();
    }

    private static String text(Element e, String name) {
        List<Element> c = children(e, name);
        return c.isEmpty() ? "" : c.getFirst().getTextContent().strip();
    }

    @Test
    void everyPublishedSourceCarriesItsLicenseAndTheJavadocOnlyTheApi() throws Exception {
        List<String> missing = new ArrayList<>();
        try (JarFile j = new JarFile(sourcesJar.toFile())) {
            assertNotNull(j.getEntry("META-INF/LICENSE"), "the sources jar carries META-INF/LICENSE");
            for (String s : List.of("module-info.java", "dev/hmap/internal/MapCore.java", "dev/hmap/OffHeapMap.java")) {
                assertNotNull(j.getEntry(s), "the sources jar holds the hand-written and the generated sources: " + s);
            }
            for (ZipEntry e : j.stream().filter(e -> e.getName().endsWith(".java")).toList()) {
                // Hand-written files open with the line; generated ones have it under "Code generated".
                try (BufferedReader r = new BufferedReader(new InputStreamReader(j.getInputStream(e),
                        StandardCharsets.UTF_8))) {
                    if (!SPDX.equals(r.readLine()) && !SPDX.equals(r.readLine())) missing.add(e.getName());
                }
            }
        }
        assertEquals(List.of(), missing, "sources without '" + SPDX + "' in their first two lines");

        try (JarFile j = new JarFile(javadocJar.toFile())) {
            List<String> names = j.stream().map(ZipEntry::getName).toList();
            assertTrue(names.stream().anyMatch(n -> n.endsWith("dev/hmap/OffHeapMap.html")),
                    "OffHeapMap is documented: " + javadocJar);
            assertEquals(List.of(), names.stream().filter(n -> n.contains("dev/hmap/internal")).toList(),
                    "the internal package is not published as API documentation");
        }
    }
}
