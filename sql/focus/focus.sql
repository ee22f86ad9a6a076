-- FOCUS (any version, any vendor; canonical union columns as read_focus returns them) -> FOCUS.
--
-- read_focus gives every column of FOCUS 1.0 to 1.4 (NULL where a file lacks it), so converting
-- between versions is mostly passing columns through: to_focus keeps the ones of the requested
-- version (sql/focus/columns.csv) and drops the rest. The rules below only differ from a pass
-- through where a later version renamed or split a column, so data written as one version
-- fills the other's columns. Columns a version added and the data cannot give stay NULL.
SELECT
    AllocatedMethodDetails AS AllocatedMethodDetails,
    AllocatedMethodId AS AllocatedMethodId,
    AllocatedResourceId AS AllocatedResourceId,
    AllocatedResourceName AS AllocatedResourceName,
    AllocatedTags AS AllocatedTags,
    AvailabilityZone AS AvailabilityZone,
    BilledCost AS BilledCost,
    BillingAccountId AS BillingAccountId,
    BillingAccountName AS BillingAccountName,
    BillingAccountType AS BillingAccountType,
    BillingCurrency AS BillingCurrency,
    BillingPeriodEnd AS BillingPeriodEnd,
    BillingPeriodStart AS BillingPeriodStart,
    CapacityReservationId AS CapacityReservationId,
    CapacityReservationStatus AS CapacityReservationStatus,
    ChargeCategory AS ChargeCategory,
    ChargeClass AS ChargeClass,
    ChargeDescription AS ChargeDescription,
    ChargeFrequency AS ChargeFrequency,
    ChargePeriodEnd AS ChargePeriodEnd,
    ChargePeriodStart AS ChargePeriodStart,
    CommitmentDiscountCategory AS CommitmentDiscountCategory,
    CommitmentDiscountId AS CommitmentDiscountId,
    CommitmentDiscountName AS CommitmentDiscountName,
    CommitmentDiscountQuantity AS CommitmentDiscountQuantity,
    CommitmentDiscountStatus AS CommitmentDiscountStatus,
    CommitmentDiscountType AS CommitmentDiscountType,
    CommitmentDiscountUnit AS CommitmentDiscountUnit,
    CommitmentProgramEligibilityDetails AS CommitmentProgramEligibilityDetails,
    ConsumedQuantity AS ConsumedQuantity,
    ConsumedUnit AS ConsumedUnit,
    ContractApplied AS ContractApplied,
    ContractedCost AS ContractedCost,
    ContractedUnitPrice AS ContractedUnitPrice,
    EffectiveCost AS EffectiveCost,
    -- Whose infrastructure the charge runs on (1.3). The big clouds (sql/focus/providers.csv) host
    -- what they sell, so their name is the host; for anyone else (a SaaS vendor, a reseller)
    -- the data does not say where it runs, so it stays NULL rather than guessed.
    coalesce(
        HostProviderName,
        CASE WHEN lookup('providers', lower(coalesce(ServiceProviderName, ProviderName)), 'provider') IS NOT NULL
             THEN coalesce(ServiceProviderName, ProviderName) END
    ) AS HostProviderName,
    InvoiceDetailId AS InvoiceDetailId,
    InvoiceId AS InvoiceId,
    InvoiceIssuerName AS InvoiceIssuerName,
    ListCost AS ListCost,
    ListUnitPrice AS ListUnitPrice,
    PricingCategory AS PricingCategory,
    PricingCurrency AS PricingCurrency,
    PricingCurrencyContractedUnitPrice AS PricingCurrencyContractedUnitPrice,
    PricingCurrencyEffectiveCost AS PricingCurrencyEffectiveCost,
    PricingCurrencyListUnitPrice AS PricingCurrencyListUnitPrice,
    PricingQuantity AS PricingQuantity,
    PricingUnit AS PricingUnit,
    -- Deprecated in 1.3, removed in 1.4: a 1.4 file only has ServiceProviderName, its successor.
    coalesce(ProviderName, ServiceProviderName) AS ProviderName,
    -- Deprecated in 1.3, removed in 1.4. Without it (1.4 input) the service provider is the
    -- closest answer: FOCUS 1.3 folds "who published it" into ServiceProviderName.
    coalesce(PublisherName, ServiceProviderName) AS PublisherName,
    RegionId AS RegionId,
    RegionName AS RegionName,
    ResourceId AS ResourceId,
    ResourceName AS ResourceName,
    ResourceType AS ResourceType,
    ServiceCategory AS ServiceCategory,
    ServiceName AS ServiceName,
    -- 1.3 renamed ProviderName (who makes the service available for purchase) to this.
    coalesce(ServiceProviderName, ProviderName) AS ServiceProviderName,
    ServiceSubcategory AS ServiceSubcategory,
    SkuId AS SkuId,
    SkuMeter AS SkuMeter,
    SkuPriceDetails AS SkuPriceDetails,
    SkuPriceId AS SkuPriceId,
    SubAccountId AS SubAccountId,
    SubAccountName AS SubAccountName,
    SubAccountType AS SubAccountType,
    Tags AS Tags,
    -- The provider read_focus detected row by row (ProviderName, then tell-tale x_ columns).
    x_SourceProvider AS x_SourceProvider,
    -- The version the input file was written in (detected from its columns).
    x_FocusVersion AS x_SourceFocusVersion,
    -- Every extension column of the input (x_*, oci_*, and any other non-FOCUS column), by its
    -- original name.
    x_columns AS x_columns
FROM source
