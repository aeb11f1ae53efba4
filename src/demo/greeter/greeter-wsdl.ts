/**
 * The demo SOAP greeter's WSDL 1.1: document/literal, one port per SOAP
 * version (GreeterSoap at /greeter, GreeterSoap12 at /greeter12), with the
 * instance's real address in each soap:address.
 */
export function greeterWsdl(origin: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="Greeter" targetNamespace="urn:dial:greeter"
  xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:dial:greeter"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types>
    <xsd:schema targetNamespace="urn:dial:greeter" elementFormDefault="qualified">
      <xsd:element name="SayHelloRequest">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="name" type="xsd:string" minOccurs="0"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="SayHelloResponse">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="message" type="xsd:string"/>
          <xsd:element name="instance" type="xsd:string"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="SayHelloInput"><part name="parameters" element="tns:SayHelloRequest"/></message>
  <message name="SayHelloOutput"><part name="parameters" element="tns:SayHelloResponse"/></message>
  <portType name="GreeterPortType">
    <operation name="SayHello">
      <documentation>Greets {name}; an empty name is a Client fault.</documentation>
      <input message="tns:SayHelloInput"/><output message="tns:SayHelloOutput"/>
    </operation>
  </portType>
  <binding name="GreeterSoap" type="tns:GreeterPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="SayHello">
      <soap:operation soapAction="urn:dial:greeter#SayHello"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
    </operation>
  </binding>
  <binding name="GreeterSoap12" type="tns:GreeterPortType">
    <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="SayHello">
      <soap12:operation soapAction="urn:dial:greeter#SayHello"/>
      <input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output>
    </operation>
  </binding>
  <service name="GreeterService">
    <port name="GreeterSoap" binding="tns:GreeterSoap"><soap:address location="${origin}/greeter"/></port>
    <port name="GreeterSoap12" binding="tns:GreeterSoap12"><soap12:address location="${origin}/greeter12"/></port>
  </service>
</definitions>
`;
}
